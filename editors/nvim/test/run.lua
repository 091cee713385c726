-- Headless end-to-end test of editors/nvim/lsp/lexls.lua against a real lexls
-- server, written for the Neovim 0.7 API (vim.lsp.start_client +
-- vim.lsp.buf_attach_client), which later versions still provide.
--
--   LEXLS_BIN=/abs/path/to/lexls \
--     nvim --headless -u NONE -i NONE -n -c 'luafile editors/nvim/test/run.lua'
--
-- Prints PASS/FAIL lines and "N passed, M failed"; exits with :cquit (status 1)
-- on any failure and :qa! on success. A global timer fails the run after
-- LEXLS_NVIM_TIMEOUT_MS (default 90000) so that it never hangs. Steps wait as
-- long as they need up to their own limits (CI machines can be loaded).

local uv = vim.loop

local passed, failed = 0, 0
local finished = false

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

-- One-line vim.inspect.
local function show(x)
  return vim.inspect(x, { newline = ' ', indent = '' })
end

local function pass(name)
  passed = passed + 1
  out('PASS ' .. name)
end

local function fail(name, why)
  failed = failed + 1
  out('FAIL ' .. name .. (why and (': ' .. why) or ''))
end

local function finish()
  if finished then
    return
  end
  finished = true
  out(string.format('%d passed, %d failed', passed, failed))
  if failed > 0 or passed == 0 then
    -- :cquit exits with a non-zero status; os.exit is the fallback.
    pcall(vim.cmd, 'cquit 1')
    os.exit(1)
  else
    pcall(vim.cmd, 'qall!')
    os.exit(0)
  end
end

local timeout_ms = tonumber(os.getenv('LEXLS_NVIM_TIMEOUT_MS') or '') or 90000
vim.defer_fn(function()
  if not finished then
    fail('global timeout', string.format('no result after %d ms', timeout_ms))
    finish()
  end
end, timeout_ms)

-- Paths ---------------------------------------------------------------------

local this_file = debug.getinfo(1, 'S').source:gsub('^@', '')
local test_dir = vim.fn.fnamemodify(this_file, ':p:h')
local nvim_dir = vim.fn.fnamemodify(test_dir, ':h')
local config_file = nvim_dir .. '/lsp/lexls.lua'
local article = test_dir .. '/article.txt'

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

-- Like Neovim 0.11's root_markers: the nearest ancestor holding a marker.
local function find_root(start, markers)
  local dir = start
  while true do
    for _, marker in ipairs(markers) do
      if exists(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

-- Flattens hover contents (MarkupContent | MarkedString | MarkedString[]).
local function hover_text(contents)
  if contents == nil or contents == vim.NIL then
    return ''
  end
  if type(contents) == 'string' then
    return contents
  end
  if contents.value ~= nil then
    return tostring(contents.value)
  end
  local parts = {}
  for _, item in ipairs(contents) do
    table.insert(parts, hover_text(item))
  end
  return table.concat(parts, '\n')
end

-- Location | Location[] | LocationLink[] -> list of URIs.
local function location_uris(result)
  local uris = {}
  if result == nil or result == vim.NIL then
    return uris
  end
  local list = (result.uri or result.targetUri) and { result } or result
  for _, loc in ipairs(list) do
    table.insert(uris, loc.uri or loc.targetUri)
  end
  return uris
end

-- Synchronous request: vim.lsp.buf_request (same signature from 0.7 to 0.11)
-- plus vim.wait, which keeps the event loop running while it waits.
-- Stops waiting early when `dead()` says the server has exited.
local function request(bufnr, method, params, dead, wait_ms)
  wait_ms = wait_ms or 20000
  local done, err, result = false, nil, nil
  vim.lsp.buf_request(bufnr, method, params, function(e, r)
    err, result, done = e, r, true
  end)
  vim.wait(wait_ms, function()
    return done or dead() ~= nil
  end, 20)
  if not done then
    if dead() then
      return nil, 'server exited: ' .. show(dead())
    end
    return nil, 'no response within ' .. tostring(wait_ms) .. ' ms'
  end
  if err then
    return nil, show(err)
  end
  return result
end

-- The test ------------------------------------------------------------------

local function main()
  local bin = os.getenv('LEXLS_BIN')
  if bin == nil or bin == '' then
    fail('LEXLS_BIN is set', 'set LEXLS_BIN to the absolute path of the lexls binary')
    return
  end
  if vim.fn.executable(bin) ~= 1 then
    fail('LEXLS_BIN is executable', bin)
    return
  end

  local ok_cfg, cfg = pcall(dofile, config_file)
  if not ok_cfg or type(cfg) ~= 'table' then
    fail('load ' .. config_file, tostring(cfg))
    return
  end
  if type(cfg.cmd) == 'table' and cfg.cmd[1] == 'lexls' and cfg.cmd[2] == 'server' then
    pass('config cmd is { "lexls", "server" }')
  else
    fail('config cmd is { "lexls", "server" }', show(cfg.cmd))
  end

  local cmd = vim.deepcopy(cfg.cmd)
  cmd[1] = bin

  -- -u NONE leaves filetype detection off; the test needs it.
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(article))
  local bufnr = vim.api.nvim_get_current_buf()
  local ft = vim.bo[bufnr].filetype
  if vim.tbl_contains(cfg.filetypes or {}, ft) then
    pass(string.format('config filetypes include "%s" (detected for article.txt)', ft))
  else
    fail('config filetypes include the detected filetype', string.format('"%s" not in %s', ft, show(cfg.filetypes)))
  end

  local root = find_root(test_dir, cfg.root_markers or {}) or test_dir
  local uri = vim.uri_from_bufnr(bufnr)

  local diagnostics = {} -- uri -> list of diagnostics, from the latest publish
  local publishes = 0
  local initialized = false
  local exit_info = nil

  local client_id = vim.lsp.start_client({
    name = 'lexls',
    cmd = cmd,
    cmd_cwd = root,
    root_dir = root,
    init_options = cfg.init_options,
    settings = cfg.settings,
    flags = { debounce_text_changes = 50 },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and result.uri then
          diagnostics[result.uri] = result.diagnostics or {}
          publishes = publishes + 1
        end
        return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
      end,
    },
    on_init = function()
      initialized = true
    end,
    on_exit = function(code, signal)
      exit_info = { code = code, signal = signal }
    end,
  })
  if not client_id then
    fail('start client', 'vim.lsp.start_client returned nil')
    return
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local function dead()
    return exit_info
  end

  local up = vim.wait(30000, function()
    return initialized or exit_info ~= nil
  end, 20)
  local client = vim.lsp.get_client_by_id(client_id)
  if not up or not initialized or client == nil then
    fail('server initializes', exit_info and ('server exited: ' .. show(exit_info)) or 'no initialize response')
    return
  end
  pass('server initializes (' .. table.concat(cmd, ' ') .. ')')

  if vim.wait(5000, function()
    return vim.lsp.buf_is_attached(bufnr, client_id)
  end, 20) then
    pass('client attached to article.txt')
  else
    fail('client attached to article.txt')
  end

  -- The legend the server announces must match the editor contract.
  local caps = client.server_capabilities or {}
  local legend = caps.semanticTokensProvider and caps.semanticTokensProvider.legend
  local want_types = { 'organisation', 'meetingSeries', 'meeting', 'person', 'place', 'document', 'term' }
  if legend and vim.deep_equal(legend.tokenTypes, want_types) then
    pass('semantic token legend types match')
  else
    fail('semantic token legend types match', show(legend and legend.tokenTypes))
  end
  local want_mods = { 'definition', 'ambiguous', 'unresolvedEdition', 'misspelled' }
  if legend and vim.deep_equal(legend.tokenModifiers, want_mods) then
    pass('semantic token legend modifiers match')
  else
    fail('semantic token legend modifiers match', show(legend and legend.tokenModifiers))
  end

  -- Position of the bare "AMIC" on line 2 ("Delegates said AMIC would ...").
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local line_nr, byte_col
  for i, line in ipairs(lines) do
    local s = line:find('said AMIC', 1, true)
    if s then
      line_nr, byte_col = i - 1, s - 1 + #'said ' + 1 -- inside the word
      break
    end
  end
  if not line_nr then
    fail('fixture has "said AMIC"')
    return
  end
  -- UTF-16 column (the default position encoding); the fixture is in the BMP.
  local utf16_col = vim.fn.strchars(lines[line_nr + 1]:sub(1, byte_col))
  local position_params = {
    textDocument = { uri = uri },
    position = { line = line_nr, character = utf16_col },
  }

  -- Hover.
  if not caps.hoverProvider then
    fail('server advertises hoverProvider')
  end
  local hover, herr = request(bufnr, 'textDocument/hover', position_params, dead)
  local text = hover and hover_text(hover.contents) or ''
  if text:find('ASEAN Military Intelligence Community', 1, true) then
    pass('hover on AMIC shows "ASEAN Military Intelligence Community"')
  else
    fail('hover on AMIC shows "ASEAN Military Intelligence Community"', herr or ('got: ' .. show(text)))
  end

  -- Definition.
  if not caps.definitionProvider then
    fail('server advertises definitionProvider')
  end
  local def, derr = request(bufnr, 'textDocument/definition', position_params, dead)
  local uris = location_uris(def)
  local toml = nil
  for _, u in ipairs(uris) do
    if u:match('%.toml$') then
      toml = u
    end
  end
  if toml then
    pass('definition of AMIC is in a lexicon file (' .. toml .. ')')
  else
    fail('definition of AMIC is in a .toml file', derr or ('got: ' .. show(def)))
  end

  -- Diagnostics (pushed; Neovim 0.7 has no pull diagnostics).
  local function misspelling_flagged()
    for _, d in ipairs(diagnostics[uri] or {}) do
      local msg = d.message or ''
      if msg:find('ASEANPOL', 1, true) or msg:find('ASEANAPOL', 1, true) then
        return d
      end
    end
    return nil
  end
  vim.wait(30000, function()
    return misspelling_flagged() ~= nil or dead() ~= nil
  end, 20)
  local d = misspelling_flagged()
  if d then
    pass(string.format('diagnostic flags ASEANPOL (line %d: %s)', d.range.start.line + 1, d.message))
  else
    local got = {}
    for _, x in ipairs(diagnostics[uri] or {}) do
      table.insert(got, x.message)
    end
    fail('diagnostic flags ASEANPOL', string.format('%d publishDiagnostics received; messages: %s', publishes, show(got)))
  end

  -- Clean shutdown.
  if dead() then
    fail('server still running at the end', 'exited: ' .. show(dead()))
    return
  end
  vim.lsp.stop_client(client_id)
  if vim.wait(10000, function()
    return exit_info ~= nil
  end, 20) then
    if exit_info.code == 0 then
      pass('server exits cleanly after shutdown')
    else
      fail('server exits cleanly after shutdown', show(exit_info))
    end
  else
    fail('server exits after shutdown', 'still running after 10 s')
  end
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  fail('test driver error', tostring(err))
end
finish()
