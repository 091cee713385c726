;;; run.el --- Batch test of lexls.el with Eglot and a real lexls server  -*- lexical-binding: t; -*-

;; LEXLS_BIN=/abs/path/to/lexls emacs --batch -l editors/emacs/test/run.el
;;
;; Loads lexls.el, lets Eglot pick the server for the fixture article through
;; `eglot-server-programs', connects, and checks hover, definition and
;; diagnostics.  Prints PASS/FAIL lines and "N passed, M failed"; exits 1 on
;; failure.  Needs Eglot (built in since Emacs 29; the elpa-eglot package on
;; Debian 12).

(require 'cl-lib)

(defvar lexls-test--passed 0)
(defvar lexls-test--failed 0)
(defvar lexls-test--diagnostics nil "Latest diagnostics published for the article.")

(defun lexls-test--pass (name)
  (cl-incf lexls-test--passed)
  (princ (format "PASS %s\n" name)))

(defun lexls-test--fail (name &optional why)
  (cl-incf lexls-test--failed)
  (princ (format "FAIL %s%s\n" name (if why (format ": %s" why) ""))))

(defun lexls-test--finish ()
  (princ (format "%d passed, %d failed\n" lexls-test--passed lexls-test--failed))
  (kill-emacs (if (and (zerop lexls-test--failed) (> lexls-test--passed 0)) 0 1)))

(defun lexls-test--wait (pred seconds)
  "Wait up to SECONDS for PRED, processing process output."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))

(defun lexls-test--hover-text (contents)
  (cond ((null contents) "")
        ((stringp contents) contents)
        ((and (listp contents) (plist-get contents :value)) (plist-get contents :value))
        ((vectorp contents) (mapconcat #'lexls-test--hover-text contents "\n"))
        (t (format "%S" contents))))

(defun lexls-test--uris (result)
  (let ((items (cond ((null result) nil)
                     ((vectorp result) (append result nil))
                     (t (list result)))))
    (mapcar (lambda (loc) (or (plist-get loc :uri) (plist-get loc :targetUri))) items)))

(defun lexls-test--main ()
  (let* ((here (file-name-directory (or load-file-name buffer-file-name)))
         (bin (getenv "LEXLS_BIN"))
         (article (expand-file-name "../../nvim/test/article.txt" here)))
    (unless (and bin (file-executable-p bin))
      (lexls-test--fail "LEXLS_BIN is executable" (format "%S" bin))
      (lexls-test--finish))
    (add-to-list 'load-path (expand-file-name ".." here))
    (require 'eglot)
    (require 'lexls)
    (setq lexls-server-command (list bin "server"))
    (cl-defmethod eglot-handle-notification :before
      (_server (_method (eql textDocument/publishDiagnostics)) &key uri diagnostics &allow-other-keys)
      (when (string-suffix-p "article.txt" uri)
        (setq lexls-test--diagnostics (append diagnostics nil))))
    (find-file article)
    (text-mode)
    (let* ((guess (eglot--guess-contact))
           (contact (nth 3 guess)))
      (if (equal contact lexls-server-command)
          (lexls-test--pass "eglot-server-programs picks lexls for text-mode")
        (lexls-test--fail "eglot-server-programs picks lexls for text-mode" (format "%S" guess)))
      (apply #'eglot guess))
    (if (lexls-test--wait (lambda () (eglot-current-server)) 30)
        (lexls-test--pass "eglot connected")
      (lexls-test--fail "eglot connected")
      (lexls-test--finish))
    ;; Diagnostics first, before any synchronous request.  The jsonrpc.el of
    ;; Emacs 28 ends a `jsonrpc-request' by throwing out of the process filter
    ;; as soon as the reply is read, and whatever came in the same read after
    ;; the reply (here the publishDiagnostics the server sends as it answers)
    ;; stays unread in the process buffer until the server writes again: the
    ;; wait below then saw nothing for 30 s (2 runs in 30 under load).
    (let ((flagged (lambda ()
                     (cl-some (lambda (d) (string-match-p "ASEANA?POL" (or (plist-get d :message) "")))
                              lexls-test--diagnostics))))
      (if (lexls-test--wait flagged 30)
          (lexls-test--pass "diagnostic flags ASEANPOL")
        (lexls-test--fail "diagnostic flags ASEANPOL" (format "%S" lexls-test--diagnostics))))
    (goto-char (point-min))
    (search-forward "said AMIC")
    (backward-char 2)
    (let* ((server (eglot-current-server))
           (params (eglot--TextDocumentPositionParams))
           (hover (ignore-errors (jsonrpc-request server :textDocument/hover params :timeout 30)))
           (text (lexls-test--hover-text (plist-get hover :contents))))
      (if (string-match-p "ASEAN Military Intelligence Community" text)
          (lexls-test--pass "hover on AMIC shows \"ASEAN Military Intelligence Community\"")
        (lexls-test--fail "hover on AMIC" (format "%S" hover)))
      (let* ((def (ignore-errors (jsonrpc-request server :textDocument/definition params :timeout 30)))
             (uris (lexls-test--uris def)))
        (if (cl-some (lambda (u) (string-suffix-p ".toml" u)) uris)
            (lexls-test--pass (format "definition of AMIC is in a .toml file (%s)" (car uris)))
          (lexls-test--fail "definition of AMIC is in a .toml file" (format "%S" def)))))
    (let ((server (eglot-current-server)))
      (ignore-errors (eglot-shutdown server))
      (if (lexls-test--wait (lambda () (not (process-live-p (jsonrpc--process server)))) 5)
          (lexls-test--pass "server shut down")
        (lexls-test--fail "server shut down")))
    (lexls-test--finish)))

(run-at-time 100 nil (lambda ()
                      (lexls-test--fail "global timeout" "100 s")
                      (lexls-test--finish)))
(condition-case err
    (lexls-test--main)
  (error (lexls-test--fail "test driver error" (error-message-string err))
         (lexls-test--finish)))

;;; run.el ends here
