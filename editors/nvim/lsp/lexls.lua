-- lexls: language server for news articles (plain text and Markdown).
--
-- Neovim 0.11+: put this file on 'runtimepath' as lsp/lexls.lua (for example
-- copy it to ~/.config/nvim/lsp/lexls.lua, or add this editors/nvim folder to
-- 'runtimepath'), then call `vim.lsp.enable('lexls')`.
-- nvim-lspconfig and Neovim < 0.11: see editors/nvim/README.md.
--
-- The table only uses plain values so that it can also be loaded with
-- `dofile()` on older Neovim versions.

---@type vim.lsp.Config
return {
  cmd = { 'lexls', 'server' },
  filetypes = { 'text', 'markdown' },
  root_markers = { '.lexls.toml', '.git' },

  -- Sent as `initializationOptions`. Keys are those of `.lexls.toml`; only
  -- the keys set here are sent (a project's .lexls.toml keeps its own rules,
  -- lexicon and allow entries; the editor's add to them):
  --   ['inlay-hints']  = 'first',   -- 'first' | 'all' | 'off'
  --   rules            = { ['unknown-acronym'] = 'off' },
  --                                 -- 'error' | 'warning' | 'info' | 'hint' | 'off'
  --   lexicon          = { 'path/to/extra.toml', 'folder/' },
  --   allow            = { 'SOP' },
  --   ['entity-hints'] = false,     -- also report each mention as a hint
  -- vim.empty_dict() is sent as {} (a plain {} would be sent as []).
  init_options = vim.empty_dict(),

  -- Sent with `workspace/didChangeConfiguration` (right after start, and
  -- answered to `workspace/configuration`), under the `lexls` key:
  --   settings = { lexls = { ['inlay-hints'] = 'all' } }
  -- The server then uses these instead of init_options, so set both to the
  -- same table. Empty here, so that nothing is sent and init_options stay.
  settings = vim.empty_dict(),
}
