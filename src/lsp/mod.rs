//! The language server (`lexls server`): tower-lsp-server with tokio and a ropey `Rope` per
//! open document. Converts between the core's byte offsets and the protocol at the edge.

mod features;
mod framing;
mod hover;
pub mod position;
mod server;
mod state;
pub mod tokens;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures::FutureExt;
use futures::future::{BoxFuture, Either};
use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response};
use tower_lsp_server::{ExitedError, LspService, Server};
use tower_service::Service;

pub use server::Backend;

/// What `framing::pump` may write ahead of tower-lsp-server's reading.
const PIPE_CAPACITY: usize = 64 * 1024;

/// Serves the protocol on `input`/`output` until `exit` or the end of `input`. Returns
/// whether the client asked for `shutdown` first (the exit code is 0 then, else 1).
///
/// The client's bytes go through `framing::pump`, which checks each frame and answers bad
/// ones, so that a malformed frame costs an error answer and not the session.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    let mut builder = LspService::build(move |client| Backend::new(client, flag));
    if std::env::var_os("LEXLS_TEST_HOOKS").is_some() {
        builder = builder
            .custom_method("lexls/debugPanic", Backend::debug_panic)
            .custom_method("lexls/debugText", Backend::debug_text);
    }
    let (service, socket) = builder.finish();
    let (to_server, from_pump) = tokio::io::duplex(PIPE_CAPACITY);
    let reading = std::pin::pin!(framing::pump(input, to_server, crate::log));
    let serving = std::pin::pin!(
        Server::new(from_pump, output, socket).serve(framing::AnswerRejected(CatchUnwind(service)))
    );
    match futures::future::select(reading, serving).await {
        // The end of input closed the pipe: the server answers what it has read and stops.
        Either::Left(((), serving)) => serving.await,
        // `exit`: stop reading, even if the client keeps its end open.
        Either::Right(((), _reading)) => {}
    }
    shutdown.load(Ordering::SeqCst)
}

/// Wraps the service so that a panicking handler answers an internal error instead of
/// killing the process (neither tower-lsp nor tower-lsp-server catches panics).
pub struct CatchUnwind<S>(pub S);

impl<S> Service<Request> for CatchUnwind<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let id = req.id().cloned();
        let method = req.method().to_owned();
        let fut = self.0.call(req);
        AssertUnwindSafe(fut)
            .catch_unwind()
            .map(move |result| match result {
                Ok(r) => r,
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".into());
                    crate::log(&format!("lexls: handler for {method} panicked: {what}"));
                    Ok(id.map(|id| {
                        Response::from_error(
                            id,
                            Error {
                                code: ErrorCode::InternalError,
                                message: format!("internal error in {method}: {what}").into(),
                                data: None,
                            },
                        )
                    }))
                }
            })
            .boxed()
    }
}

/// Runs the server on stdin/stdout with a multi-threaded runtime. Returns whether the
/// client asked for `shutdown` before `exit` or the end of input.
pub fn run_stdio() -> std::io::Result<bool> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let clean = rt.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // A read of stdin still pending (a client that keeps it open after `exit`) or an
    // analysis still running must not keep the process alive.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(clean)
}
