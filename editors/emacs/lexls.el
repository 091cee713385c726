;;; lexls.el --- Use the lexls language server for news articles  -*- lexical-binding: t; -*-

;; Keywords: languages, text, tools
;; Package-Requires: ((emacs "27.1"))
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; Registers lexls (`lexls server', a language server that annotates plain-text
;; and Markdown news articles with a lexicon of organisations, meetings,
;; people, places and documents) with Eglot and, when it is loaded, lsp-mode.
;;
;;   (add-to-list 'load-path "/path/to/lexls/editors/emacs")
;;   (require 'lexls)
;;   (add-hook 'text-mode-hook #'lexls-eglot-ensure) ; or M-x eglot in an article
;;
;; Eglot picks the first entry of `eglot-server-programs' whose mode the
;; buffer's major mode derives from.  Many modes derive from `text-mode'
;; (LaTeX, Org, reStructuredText...), so the `text-mode' entry is appended:
;; servers registered for those modes keep priority, plain `text-mode'
;; buffers get lexls.  The Markdown entry is prepended, so lexls replaces any
;; other Eglot server for Markdown (Eglot runs one server per buffer; use
;; lsp-mode, where lexls is an add-on, to run it next to marksman).
;;
;; Settings use the keys of `.lexls.toml'.  With Eglot, put them in
;; `eglot-workspace-configuration' under the `lexls' key: Eglot sends that in
;; workspace/didChangeConfiguration right after the server starts (and on
;; M-x eglot-signal-didChangeConfiguration), and the server takes its settings
;; from there:
;;
;;   (setq-default eglot-workspace-configuration
;;                 '(:lexls (:inlay-hints "all" :rules (:unknown-acronym "off"))))
;;
;; (or per project, in .dir-locals.el:
;;   ((nil . ((eglot-workspace-configuration
;;             . (:lexls (:inlay-hints "all")))))))
;;
;; `lexls-initialization-options' (a plist with the same keys) is sent as
;; initializationOptions; lsp-mode uses it.  Eglot sends it too, but its
;; didChangeConfiguration right after start then replaces it.

;;; Code:

(declare-function lsp-activate-on "lsp-mode" (&rest languages))
(declare-function lsp-register-client "lsp-mode" (client))
(declare-function lsp-stdio-connection "lsp-mode" (command &optional test-command))
(declare-function make-lsp-client "lsp-mode" (&rest args))
(defvar eglot-server-programs)
(defvar lsp-language-id-configuration)

(defgroup lexls nil
  "The lexls language server for news articles."
  :group 'tools
  :prefix "lexls-")

(defcustom lexls-server-command '("lexls" "server")
  "Command (a list: program and arguments) that starts the lexls server."
  :type '(repeat string))

(defcustom lexls-initialization-options nil
  "Settings sent as `initializationOptions', a plist with `.lexls.toml' keys.
For example (:inlay-hints \"all\" :allow [\"SOP\"] :entity-hints :json-false).
Nil sends none, so the project's `.lexls.toml' and the defaults apply.
With Eglot, use `eglot-workspace-configuration' instead (see the
commentary of lexls.el)."
  :type '(plist :key-type symbol :value-type sexp))

(defun lexls--eglot-contact (&optional _interactive)
  "Eglot contact for lexls: the command plus initialization options."
  (append lexls-server-command
          (when lexls-initialization-options
            (list :initializationOptions lexls-initialization-options))))

(with-eval-after-load 'eglot
  ;; Markdown first, so that lexls wins over other Markdown servers.
  (add-to-list 'eglot-server-programs
               `(((markdown-mode :language-id "markdown")
                  (gfm-mode :language-id "markdown"))
                 . lexls--eglot-contact))
  ;; Plain text last, so that servers for modes derived from text-mode win.
  (add-to-list 'eglot-server-programs
               `(((text-mode :language-id "plaintext")) . lexls--eglot-contact)
               t))

(defcustom lexls-modes '(text-mode markdown-mode gfm-mode)
  "Major modes in which `lexls-eglot-ensure' starts Eglot.
Exact modes, not modes derived from them (LaTeX and Org derive from
`text-mode' but are not articles)."
  :type '(repeat symbol))

;;;###autoload
(defun lexls-eglot-ensure ()
  "Start Eglot (with lexls) if the buffer's major mode is in `lexls-modes'.
Meant for `text-mode-hook', which also runs in modes derived from `text-mode'."
  (when (memq major-mode lexls-modes)
    (eglot-ensure)))

(declare-function eglot-ensure "eglot" ())

(with-eval-after-load 'lsp-mode
  (when (fboundp 'lsp-register-client)
    (add-to-list 'lsp-language-id-configuration '(text-mode . "plaintext"))
    (add-to-list 'lsp-language-id-configuration '(markdown-mode . "markdown"))
    (add-to-list 'lsp-language-id-configuration '(gfm-mode . "markdown"))
    (lsp-register-client
     (make-lsp-client
      :new-connection (lsp-stdio-connection (lambda () lexls-server-command))
      :activation-fn (lsp-activate-on "plaintext" "markdown")
      :initialization-options (lambda () lexls-initialization-options)
      ;; Run next to other servers (marksman, ltex...) for the same buffer.
      :add-on? t
      :server-id 'lexls))))

(provide 'lexls)
;;; lexls.el ends here
