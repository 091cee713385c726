//! The client's byte stream, framed and checked before tower-lsp-server sees it (issue 8).
//!
//! tower-lsp-server 0.23 reads its input through tokio-util's `FramedRead` with its own
//! codec. The codec answers a bad frame with a parse error, but `FramedRead` ends the stream
//! after any decode error, so one malformed frame used to end the session. The codec is also
//! stricter than the LSP specification in ways a client can trip over: header names are
//! matched case-sensitively, at most two headers are accepted, a `Content-Type` without a
//! `charset` parameter is refused, and a line ending without `\r` does not parse.
//!
//! So [`pump`] reads the client's bytes first and writes to tower-lsp-server only frames its
//! codec is certain to decode, re-framed as `Content-Length: N\r\n\r\n` and the body. The
//! codec then never fails, and the session ends only at the end of input or at `exit`.
//! [`Decoder`] holds the rules and does no IO:
//!
//! - **Headers.** `Name: value` lines up to a blank line, each ending in `\r\n` or `\n`.
//!   Names are case-insensitive. `Content-Length` is required: decimal digits that fit in a
//!   `u64`, and a repeated one must agree. `Content-Type` is optional; its media type is
//!   ignored (as tower-lsp-server does) and a `charset` other than `utf-8`/`utf8` is refused.
//!   Other headers are ignored. Blank lines between frames are skipped.
//! - **Body.** Exactly `Content-Length` bytes: UTF-8, JSON, and a message as
//!   tower-lsp-server reads one ([`Incoming`] mirrors its private `Message`, over its own
//!   `Request` and `Response` types), with a non-empty `method` when it is a request.
//!
//! A frame that breaks a rule is answered as JSON-RPC 2.0 says: a body that is not UTF-8
//! JSON, a header that does not parse, or an unsupported charset with a Parse error
//! (`-32700`); JSON that is not a message with an Invalid Request (`-32600`). The answer
//! carries the message's `id` when it can be read, `null` otherwise. Each rejection is logged
//! (the first [`LOGGED_REJECTIONS`] of a session in full, then only counted).
//!
//! **Resync.** After a header that does not parse, the input is scanned for the next
//! `Content-Length` (any case), starting one byte into the bad header, so that junk glued to
//! the front of a good frame costs one answer and not the frame. When every line of the bad
//! header was well formed (the fault is a value), `Content-Length` lines of that header are
//! passed over: they were read and found wanting. A body that is not JSON
//! may mean that the length lied, so the scan starts at the body's first byte: a frame that
//! claimed too many or too few bytes loses itself, not the frame after it. A body that is
//! JSON was framed correctly and is consumed whole.
//!
//! **Memory.** A header block is at most [`MAX_HEADER`] bytes and a body at most
//! [`MAX_BODY`]. A larger `Content-Length` is answered at once and its body skipped as it
//! arrives, never buffered. Junk being scanned is dropped as it is scanned.
//!
//! **Answers.** A rejected frame is replaced, in the stream to tower-lsp-server, by a
//! request for the reserved method [`REJECTED_METHOD`] carrying the error and the id.
//! [`AnswerRejected`], the outermost service, answers it with that error whatever state the
//! server is in. So the answer is written by tower-lsp-server's own writer, whole and in
//! order with everything else, and the output needs no second writer. A client cannot send
//! the reserved method itself: it is an Invalid Request.

use std::task::{Context, Poll};

use futures::future::{Either, Ready, ready};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::ExitedError;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_service::Service;

/// The largest body read: 64 MiB. A `didOpen` carries the whole document, and JSON leaves
/// Vietnamese and English text nearly unescaped, so this admits documents of about 60 MB
/// (VS Code does not sync files over 50 MB to extensions; the largest tested is 5 MB).
pub const MAX_BODY: u64 = 64 * 1024 * 1024;

/// The largest header block, blank line included. Real ones are under 100 bytes.
pub const MAX_HEADER: usize = 8 * 1024;

/// How many rejections a session logs in full before it only counts them.
pub const LOGGED_REJECTIONS: u64 = 16;

/// The method of the request that stands in for a rejected frame (see the module docs).
pub const REJECTED_METHOD: &str = "$/lexls/rejectedFrame";

/// Bytes read from the client at a time.
const READ_CHUNK: usize = 64 * 1024;

/// The name searched for when resyncing, compared case-insensitively.
const CONTENT_LENGTH: &[u8] = b"content-length";

/// What was wrong with a frame, and what to answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejection {
    /// `ParseError` or `InvalidRequest`.
    pub code: ErrorCode,
    /// What was wrong, for the answer and the log.
    pub reason: String,
    /// The message's id when it could be read, else `Id::Null`.
    pub id: Id,
}

impl Rejection {
    fn parse_error(reason: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::ParseError,
            reason: reason.into(),
            id: Id::Null,
        }
    }

    /// The answer's `message`: the code's name, then the reason.
    pub fn message(&self) -> String {
        format!("{}: {}", self.code.description(), self.reason)
    }

    /// The body of the request that stands in for this frame.
    fn stand_in(&self) -> Vec<u8> {
        let request = serde_json::json!({
            "jsonrpc": "2.0",
            "id": self.id,
            "method": REJECTED_METHOD,
            "params": RejectedParams { code: self.code.code(), message: self.message() },
        });
        request.to_string().into_bytes()
    }
}

/// The params of a [`REJECTED_METHOD`] request.
#[derive(Serialize, Deserialize)]
struct RejectedParams {
    code: i64,
    message: String,
}

/// What the decoder found.
#[derive(Debug, PartialEq)]
pub enum Event {
    /// A message body that tower-lsp-server will decode.
    Message(Vec<u8>),
    /// A frame to answer with an error.
    Rejected(Rejection),
}

#[derive(Debug)]
enum State {
    /// Before a header block (or inside one that is still arriving).
    Header,
    /// After a good header block: `len` bytes of body to come, and the charset if it is
    /// one we do not read.
    Body { len: usize, charset: Option<String> },
    /// Discarding the body of an oversized frame.
    Skip { remaining: u64 },
    /// Looking for the next `Content-Length` from buffer offset `from`, passing over those
    /// that start a line of the rejected header block `..block` (they were read already).
    Resync { from: usize, block: usize },
}

/// Splits the client's bytes into checked message bodies and rejections, without IO: feed
/// it bytes with [`Decoder::feed`], then take events with [`Decoder::next`] until it returns
/// `None`.
#[derive(Debug)]
pub struct Decoder {
    buf: Vec<u8>,
    state: State,
    max_body: u64,
    /// In `Header`, where to resume looking for the blank line.
    scanned: usize,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new(MAX_BODY)
    }
}

impl Decoder {
    /// A decoder that reads bodies of up to `max_body` bytes (tests use a small one).
    pub fn new(max_body: u64) -> Self {
        Self {
            buf: Vec::new(),
            state: State::Header,
            max_body,
            scanned: 0,
        }
    }

    /// Appends bytes read from the client.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next event the bytes fed so far complete, or `None` when more bytes are needed.
    /// Call it until `None` after each [`Decoder::feed`]: that keeps the buffer bounded.
    pub fn next(&mut self) -> Option<Event> {
        loop {
            match std::mem::replace(&mut self.state, State::Header) {
                State::Header => {
                    let blank = self
                        .buf
                        .iter()
                        .take_while(|b| matches!(b, b'\r' | b'\n'))
                        .count();
                    if blank > 0 {
                        self.consume(blank);
                    }
                    if self.buf.is_empty() {
                        return None;
                    }
                    let end = match find_blank_line(&self.buf, self.scanned) {
                        Ok(end) if end <= MAX_HEADER => end,
                        Err(resume) if self.buf.len() <= MAX_HEADER => {
                            self.scanned = resume;
                            return None;
                        }
                        _ => {
                            return Some(self.reject_header(
                                format!("no header block ends within {MAX_HEADER} bytes"),
                                0,
                            ));
                        }
                    };
                    match parse_header(&self.buf[..end]) {
                        Err(HeaderError { reason, lines_ok }) => {
                            // Its well-formed lines were read: a `Content-Length` starting
                            // one of them is no place to resync. After a junk line it is.
                            let block = if lines_ok { end } else { 0 };
                            return Some(self.reject_header(reason, block));
                        }
                        Ok(head) => {
                            self.consume(end);
                            match usize::try_from(head.len) {
                                Ok(len) if head.len <= self.max_body => {
                                    self.state = State::Body {
                                        len,
                                        charset: head.charset,
                                    };
                                }
                                _ => {
                                    self.state = State::Skip {
                                        remaining: head.len,
                                    };
                                    return Some(Event::Rejected(Rejection::parse_error(format!(
                                        "Content-Length {} is over the limit of {} bytes; \
                                             the body is skipped",
                                        head.len, self.max_body
                                    ))));
                                }
                            }
                        }
                    }
                }
                State::Body { len, charset } => {
                    if self.buf.len() < len {
                        self.state = State::Body { len, charset };
                        return None;
                    }
                    let checked = check_body(&self.buf[..len]);
                    let not_json = matches!(checked, Checked::NotJson(_));
                    let Some(rejection) = checked.rejection(charset) else {
                        let rest = self.buf.split_off(len);
                        return Some(Event::Message(std::mem::replace(&mut self.buf, rest)));
                    };
                    if not_json {
                        // The length may have lied: look for the next header from the
                        // body's first byte.
                        self.state = State::Resync { from: 0, block: 0 };
                    } else {
                        self.consume(len);
                    }
                    return Some(Event::Rejected(rejection));
                }
                State::Skip { remaining } => {
                    let n = usize::try_from(remaining)
                        .map_or(self.buf.len(), |r| r.min(self.buf.len()));
                    self.consume(n);
                    let remaining = remaining - n as u64;
                    if remaining > 0 {
                        self.state = State::Skip { remaining };
                        return None;
                    }
                }
                State::Resync { mut from, block } => loop {
                    from = from.min(self.buf.len());
                    match find_ignore_case(&self.buf[from..], CONTENT_LENGTH).map(|at| from + at) {
                        Some(at) if at < block && (at == 0 || self.buf[at - 1] == b'\n') => {
                            from = at + 1;
                        }
                        Some(at) => {
                            self.consume(at);
                            break;
                        }
                        None => {
                            // Keep a tail that may be the start of the name. The block was
                            // whole in the buffer and ends with a line break, so what is
                            // kept starts after it.
                            let keep = CONTENT_LENGTH.len() - 1;
                            self.consume(self.buf.len().saturating_sub(keep).max(from));
                            self.state = State::Resync { from: 0, block: 0 };
                            return None;
                        }
                    }
                },
            }
        }
    }

    /// At the end of input: what was left unfinished, for the log (`None` when the input
    /// ended between frames or in junk that was already answered).
    pub fn finish(&self) -> Option<String> {
        match &self.state {
            State::Header if !self.buf.is_empty() => Some(format!(
                "the input ended inside a header ({} bytes)",
                self.buf.len()
            )),
            State::Body { len, .. } => Some(format!(
                "the input ended inside a message body ({} of {len} bytes)",
                self.buf.len()
            )),
            State::Skip { remaining } => Some(format!(
                "the input ended {remaining} bytes before the end of a skipped body"
            )),
            State::Header | State::Resync { .. } => None,
        }
    }

    fn consume(&mut self, n: usize) {
        self.buf.drain(..n);
        self.scanned = 0;
    }

    /// Rejects the header block at the start of the buffer and resyncs one byte into it,
    /// passing over `Content-Length` lines of `..block` (0 to pass over none).
    fn reject_header(&mut self, reason: String, block: usize) -> Event {
        self.state = State::Resync { from: 1, block };
        Event::Rejected(Rejection::parse_error(reason))
    }
}

/// The end of the header block (just past its blank line), or where to resume looking.
/// `buf` does not start with a line break.
fn find_blank_line(buf: &[u8], from: usize) -> Result<usize, usize> {
    for i in from..buf.len() {
        if buf[i] != b'\n' {
            continue;
        }
        match (buf.get(i + 1), buf.get(i + 2)) {
            (Some(b'\n'), _) => return Ok(i + 2),
            (Some(b'\r'), Some(b'\n')) => return Ok(i + 3),
            (None, _) | (Some(b'\r'), None) => return Err(i),
            _ => {}
        }
    }
    Err(buf.len())
}

/// What a good header block says.
struct Header {
    len: u64,
    /// The charset when it is not one we read.
    charset: Option<String>,
}

/// Why a header block was rejected.
struct HeaderError {
    reason: String,
    /// Every line was a well-formed `Name: value` (the fault is in a value).
    lines_ok: bool,
}

fn parse_header(block: &[u8]) -> Result<Header, HeaderError> {
    let bad_line = |reason| HeaderError {
        reason,
        lines_ok: false,
    };
    let bad_value = |reason| HeaderError {
        reason,
        lines_ok: true,
    };
    let mut len = None;
    let mut charset = None;
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err(bad_line(format!(
                "a header line without a colon: {}",
                shown(line)
            )));
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if name.is_empty() || !name.iter().all(|&b| is_token(b)) {
            return Err(bad_line(format!(
                "a malformed header name: {}",
                shown(name)
            )));
        }
        if name.eq_ignore_ascii_case(b"content-length") {
            let parsed = parse_length(value).map_err(bad_value)?;
            if len.is_some_and(|l| l != parsed) {
                return Err(bad_value("two Content-Length headers that disagree".into()));
            }
            len = Some(parsed);
        } else if name.eq_ignore_ascii_case(b"content-type") {
            charset = unsupported_charset(value);
        }
    }
    let len = len.ok_or_else(|| bad_value("no Content-Length header".into()))?;
    Ok(Header { len, charset })
}

fn parse_length(value: &[u8]) -> Result<u64, String> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(format!("Content-Length is not a number: {}", shown(value)));
    }
    // ASCII digits, so UTF-8; the only failure left is overflow.
    std::str::from_utf8(value)
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("Content-Length is out of range: {}", shown(value)))
}

/// The `charset` parameter of a `Content-Type` when it is present and not UTF-8.
fn unsupported_charset(value: &[u8]) -> Option<String> {
    let value = String::from_utf8_lossy(value);
    let charset = value.split(';').skip(1).find_map(|param| {
        let (name, v) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"'))
    })?;
    let utf8 = charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8");
    (!utf8).then(|| charset.to_owned())
}

/// An HTTP token character (RFC 9110), the characters of a header name.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The first occurrence of `needle` (lowercase ASCII) in `hay`, ignoring ASCII case.
fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Bytes from the input for a message: quoted, lossily decoded, at most 40 characters.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// A message as tower-lsp-server 0.23 decodes one: its private `Message` is exactly this
/// (untagged, `Response` first). Decoding with the same types is what guarantees that a
/// frame let through never makes its codec fail.
#[derive(Deserialize)]
#[serde(untagged)]
enum Incoming {
    // Only the outcome of decoding matters, not the response itself.
    #[allow(dead_code)]
    Response(Response),
    Request(Request),
}

/// What a body is.
enum Checked {
    /// A message, with its id.
    Message(Id),
    /// JSON, but not a message.
    Invalid(Rejection),
    /// Not UTF-8 JSON.
    NotJson(String),
}

impl Checked {
    /// What to answer for the body sent with `charset` (one we do not read, if any); `None`
    /// to pass it on.
    fn rejection(self, charset: Option<String>) -> Option<Rejection> {
        let (id, rejection) = match self {
            Self::Message(id) => (id, None),
            Self::Invalid(rejection) => (rejection.id.clone(), Some(rejection)),
            Self::NotJson(reason) => (Id::Null, Some(Rejection::parse_error(reason))),
        };
        match charset {
            Some(charset) => Some(Rejection {
                id,
                ..Rejection::parse_error(format!(
                    "charset {charset:?} is not supported (only utf-8)"
                ))
            }),
            None => rejection,
        }
    }
}

fn check_body(body: &[u8]) -> Checked {
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => return Checked::NotJson(format!("the body is not UTF-8: {e}")),
    };
    let invalid = |reason: &str, id: Option<&Id>| {
        Checked::Invalid(Rejection {
            code: ErrorCode::InvalidRequest,
            reason: reason.to_owned(),
            id: id.cloned().unwrap_or(Id::Null),
        })
    };
    match serde_json::from_str::<Incoming>(text) {
        Ok(Incoming::Response(_)) => Checked::Message(Id::Null),
        Ok(Incoming::Request(req)) if req.method().is_empty() => {
            invalid("a request without a method", req.id())
        }
        Ok(Incoming::Request(req)) if req.method() == REJECTED_METHOD => {
            invalid("the method name is reserved", req.id())
        }
        Ok(Incoming::Request(req)) => Checked::Message(req.id().cloned().unwrap_or(Id::Null)),
        // A data error can come before the whole text is read (serde decides on the
        // buffered first value), so the text is checked to be JSON on its own.
        Err(e) if e.is_data() => match why_invalid(text) {
            Ok((reason, id)) => invalid(&reason, Some(&id)),
            Err(e) => Checked::NotJson(format!("the body is not JSON: {e}")),
        },
        Err(e) => Checked::NotJson(format!("the body is not JSON: {e}")),
    }
}

/// Why JSON that is not a message is not one, and its id if it has a readable one; or why
/// it is not JSON.
fn why_invalid(text: &str) -> Result<(String, Id), serde_json::Error> {
    let map = match serde_json::from_str::<Value>(text)? {
        Value::Object(map) => map,
        Value::Array(_) => {
            return Ok((
                "a batch (a JSON array); LSP sends one message per frame".into(),
                Id::Null,
            ));
        }
        _ => return Ok(("not a JSON object".into(), Id::Null)),
    };
    let id = match map.get("id") {
        Some(Value::String(s)) => Some(Id::String(s.clone())),
        Some(Value::Number(n)) => n.as_i64().map(Id::Number),
        Some(Value::Null) | None => Some(Id::Null),
        Some(_) => None,
    };
    let reason = if map.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        "\"jsonrpc\" must be \"2.0\""
    } else if id.is_none() {
        "\"id\" must be an integer, a string or null"
    } else if map.get("method").is_some_and(|m| !m.is_string()) {
        "\"method\" must be a string"
    } else {
        "not a request, notification or response"
    };
    Ok((reason.into(), id.unwrap_or(Id::Null)))
}

/// Reads the client's bytes from `input` until its end and writes the good messages, and a
/// stand-in request for each rejected frame, to `server` (tower-lsp-server's input), then
/// shuts `server` down. Stops early when `server` stops reading (after `exit`). Rejections,
/// a frame cut by the end of input and read errors go to `log`.
pub async fn pump<R, W>(mut input: R, mut server: W, mut log: impl FnMut(&str))
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut decoder = Decoder::default();
    let mut chunk = vec![0; READ_CHUNK];
    let mut rejected = 0u64;
    loop {
        while let Some(event) = decoder.next() {
            let body = match event {
                Event::Message(body) => body,
                Event::Rejected(rejection) => {
                    rejected += 1;
                    if rejected <= LOGGED_REJECTIONS {
                        log(&format!(
                            "lexls: rejected a frame ({}): {}",
                            rejection.code.code(),
                            rejection.message()
                        ));
                    }
                    if rejected == LOGGED_REJECTIONS {
                        log("lexls: further rejected frames are counted, not logged");
                    }
                    rejection.stand_in()
                }
            };
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            let written = async {
                server.write_all(header.as_bytes()).await?;
                server.write_all(&body).await
            };
            if written.await.is_err() {
                // The server stopped reading (`exit`): nothing more to pass on.
                return;
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => decoder.feed(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                log(&format!("lexls: reading the client's input failed: {e}"));
                break;
            }
        }
    }
    if let Some(what) = decoder.finish() {
        log(&format!("lexls: {what}"));
    }
    if rejected > LOGGED_REJECTIONS {
        log(&format!(
            "lexls: {rejected} frames rejected in this session"
        ));
    }
    let _ = server.shutdown().await;
}

/// The outermost service: answers the stand-in requests of rejected frames with their error,
/// in any server state, and passes everything else to `S`.
pub struct AnswerRejected<S>(pub S);

impl<S> Service<Request> for AnswerRejected<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = Either<Ready<Result<Option<Response>, ExitedError>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() != REJECTED_METHOD {
            return Either::Right(self.0.call(req));
        }
        let (_, id, params) = req.into_parts();
        let error = params
            .and_then(|p| serde_json::from_value::<RejectedParams>(p).ok())
            .map_or_else(
                // Only `pump` writes this method, always with these params.
                Error::internal_error,
                |p| Error {
                    code: ErrorCode::from(p.code),
                    message: p.message.into(),
                    data: None,
                },
            );
        Either::Left(ready(Ok(Some(Response::from_error(
            id.unwrap_or(Id::Null),
            error,
        )))))
    }
}

#[cfg(test)]
mod tests {
    use std::pin::Pin;

    use futures::FutureExt;
    use serde_json::json;

    use super::*;

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut v = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        v.extend_from_slice(body);
        v
    }

    const GOOD: &[u8] = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;

    /// Events from `input` fed in pieces of `step` bytes, and what `finish` says.
    fn decode_with(input: &[u8], step: usize, max_body: u64) -> (Vec<Event>, Option<String>) {
        let mut d = Decoder::new(max_body);
        let mut events = Vec::new();
        for piece in input.chunks(step.max(1)) {
            d.feed(piece);
            events.extend(std::iter::from_fn(|| d.next()));
            assert!(
                d.buf.len() <= MAX_HEADER + step.max(1) || matches!(d.state, State::Body { .. }),
                "the buffer stays bounded outside a body: {} bytes",
                d.buf.len()
            );
        }
        let end = d.finish();
        (events, end)
    }

    fn decode(input: &[u8]) -> Vec<Event> {
        let (events, _) = decode_with(input, input.len(), MAX_BODY);
        events
    }

    /// An event as (code or 0 for a message, id), to compare briefly.
    fn brief(e: &Event) -> (i64, Value) {
        match e {
            Event::Message(body) => (0, serde_json::from_slice(body).expect("JSON")),
            Event::Rejected(r) => (r.code.code(), json!(r.id)),
        }
    }

    fn good() -> (i64, Value) {
        (0, serde_json::from_slice(GOOD).expect("JSON"))
    }

    /// Each malformed kind, followed by a good frame: the answer it gets (code and id), and
    /// the good frame still comes through.
    #[test]
    fn each_malformed_kind_is_answered_and_the_next_frame_read() {
        let cases: &[(&str, Vec<u8>, i64, Value)] = &[
            ("not JSON", frame(b"{not json"), -32700, json!(null)),
            ("not UTF-8", frame(b"\"\xff\xfe\""), -32700, json!(null)),
            ("empty body", frame(b""), -32700, json!(null)),
            (
                "JSON with trailing junk",
                frame(b"{}}"),
                -32700,
                json!(null),
            ),
            ("deeply nested", frame(&[b'['; 200]), -32700, json!(null)),
            ("a number", frame(b"5"), -32600, json!(null)),
            (
                "a batch",
                frame(br#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]"#),
                -32600,
                json!(null),
            ),
            (
                "jsonrpc 1.0",
                frame(br#"{"jsonrpc":"1.0","id":4,"method":"shutdown"}"#),
                -32600,
                json!(4),
            ),
            (
                "no jsonrpc",
                frame(br#"{"id":"s","method":"shutdown"}"#),
                -32600,
                json!("s"),
            ),
            (
                "an object id",
                frame(br#"{"jsonrpc":"2.0","id":{},"method":"shutdown"}"#),
                -32600,
                json!(null),
            ),
            (
                "a fractional id",
                frame(br#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#),
                -32600,
                json!(null),
            ),
            (
                "no method",
                frame(br#"{"jsonrpc":"2.0","id":5}"#),
                -32600,
                json!(5),
            ),
            (
                "a numeric method",
                frame(br#"{"jsonrpc":"2.0","id":6,"method":7}"#),
                -32600,
                json!(6),
            ),
            (
                "the reserved method",
                frame(br#"{"jsonrpc":"2.0","id":8,"method":"$/lexls/rejectedFrame"}"#),
                -32600,
                json!(8),
            ),
            (
                "duplicate keys",
                frame(br#"{"jsonrpc":"2.0","id":9,"id":9,"method":"shutdown"}"#),
                -32600,
                json!(9),
            ),
            (
                "no Content-Length",
                b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "Content-Length not a number",
                b"Content-Length: abc\r\n\r\n{}".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "negative Content-Length",
                b"Content-Length: -1\r\n\r\n".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "Content-Length over u64",
                b"Content-Length: 99999999999999999999\r\n\r\n{}".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "two Content-Lengths",
                b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "a line without a colon",
                b"Content-Length 2\r\n\r\n{}".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "a bad header name",
                b"Content Length: 2\r\n\r\n{}".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "junk",
                b"\x00garbage\xff with no line break".to_vec(),
                -32700,
                json!(null),
            ),
            ("a junk line", b"junk\n".to_vec(), -32700, json!(null)),
            ("a junk header", b"x:".to_vec(), -32700, json!(null)),
            (
                "a junk header block",
                b"x: y\r\n\r\n".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "another charset",
                {
                    let body = br#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#;
                    let mut v = format!(
                        "Content-Type: application/vscode-jsonrpc; charset=latin1\r\n\
                         Content-Length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    v.extend_from_slice(body);
                    v
                },
                -32700,
                json!(3),
            ),
            (
                "a length too short",
                b"Content-Length: 1\r\n\r\n{}".to_vec(),
                -32700,
                json!(null),
            ),
            (
                "a length too long",
                b"Content-Length: 12\r\n\r\n{}".to_vec(),
                -32700,
                json!(null),
            ),
        ];
        for (name, bad, code, id) in cases {
            let mut input = bad.clone();
            input.extend(frame(GOOD));
            for step in [input.len(), 1, 7] {
                let (events, end) = decode_with(&input, step, MAX_BODY);
                let events: Vec<_> = events.iter().map(brief).collect();
                assert_eq!(
                    events,
                    [(*code, id.clone()), good()],
                    "{name}, read {step} bytes at a time"
                );
                assert_eq!(end, None, "{name}: the input ends between frames");
            }
        }
    }

    /// Framing that is odd but allowed by the spec (or harmless) reads as the message.
    #[test]
    fn tolerated_framing_reads_as_the_message() {
        let len = GOOD.len();
        let mut heads = [
            format!("content-length: {len}\r\n\r\n"),
            format!("CONTENT-LENGTH:{len}\r\n\r\n"),
            format!("Content-Length: {len}\n\n"),
            format!("Content-Length: {len}\r\n\n"),
            format!("Content-Length:   {len}  \r\n\r\n"),
            format!("\r\n\r\nContent-Length: {len}\r\n\r\n"),
            format!("Content-Length: {len}\r\nContent-Length: {len}\r\n\r\n"),
            format!("Content-Type: application/vscode-jsonrpc\r\nContent-Length: {len}\r\n\r\n"),
            format!("Content-Length: {len}\r\nContent-Type: x; charset=UTF-8\r\n\r\n"),
            format!("Content-Length: {len}\r\nContent-Type: x; charset=\"utf8\"\r\n\r\n"),
            format!("X-One: 1\r\nX-Two: é\r\nX-Three: 3\r\nContent-Length: {len}\r\n\r\n"),
            format!("Content-Length: {len:08}\r\n\r\n"),
        ]
        .map(String::into_bytes)
        .to_vec();
        heads.push([b"X-Latin1: \xe9\r\n".as_slice(), &heads[0]].concat());
        for head in heads {
            let mut input = head.clone();
            input.extend_from_slice(GOOD);
            for step in [input.len(), 1] {
                let (events, end) = decode_with(&input, step, MAX_BODY);
                let shown = String::from_utf8_lossy(&head);
                assert_eq!(events, [Event::Message(GOOD.to_vec())], "{shown:?}");
                assert_eq!(end, None);
            }
        }
    }

    /// Messages of every shape tower-lsp-server reads pass unchanged, responses included.
    #[test]
    fn good_messages_pass_unchanged() {
        let bodies: [&[u8]; 6] = [
            GOOD,
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            br#"{"jsonrpc":"2.0","id":"x","method":"textDocument/hover","params":[1]}"#,
            br#"{"jsonrpc":"2.0","id":7,"result":null}"#,
            br#"{"jsonrpc":"2.0","id":7,"error":{"code":-1,"message":"no"}}"#,
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"Hà Nội 😀\"}".as_bytes(),
        ];
        let input: Vec<u8> = bodies.iter().flat_map(|b| frame(b)).collect();
        for step in 1..=3 {
            let (events, end) = decode_with(&input, step, MAX_BODY);
            let expected: Vec<_> = bodies.iter().map(|b| Event::Message(b.to_vec())).collect();
            assert_eq!(events, expected, "read {step} bytes at a time");
            assert_eq!(end, None);
        }
    }

    /// A session of good and bad frames gives the same events however the reads split it,
    /// at every byte boundary.
    #[test]
    fn split_reads_at_every_boundary_give_the_same_events() {
        let mut input = frame(GOOD);
        input.extend(b"Content-Length: x\r\n\r\njunk".iter());
        input.extend(frame(br#"{"jsonrpc":"2.0","id":2,"method":"a"}"#));
        input.extend(frame(b"{oops"));
        input.extend(b"content-length: 5\n\n{}");
        input.extend(frame(br#"{"jsonrpc":"2.0","method":"b"}"#));
        input.extend(frame(br#"[1]"#));
        input.extend(frame(GOOD));
        let whole = decode(&input);
        let briefs: Vec<_> = whole.iter().map(brief).collect();
        assert_eq!(
            briefs,
            [
                good(),
                (-32700, json!(null)),
                (0, json!({"jsonrpc":"2.0","id":2,"method":"a"})),
                (-32700, json!(null)),
                (-32700, json!(null)),
                (0, json!({"jsonrpc":"2.0","method":"b"})),
                (-32600, json!(null)),
                good(),
            ]
        );
        for cut in 1..input.len() {
            let mut d = Decoder::default();
            let mut events = Vec::new();
            for piece in [&input[..cut], &input[cut..]] {
                d.feed(piece);
                events.extend(std::iter::from_fn(|| d.next()));
            }
            assert_eq!(events, whole, "split at byte {cut}");
        }
        let (one_by_one, end) = decode_with(&input, 1, MAX_BODY);
        assert_eq!(one_by_one, whole);
        assert_eq!(end, None);
    }

    /// A body over the limit is answered at once and skipped as it arrives, without being
    /// buffered; the frame after it is read.
    #[test]
    fn an_oversized_body_is_skipped_without_buffering() {
        let max = 100;
        let mut input = b"Content-Length: 1000\r\n\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 1000));
        input.extend(frame(GOOD));
        let mut d = Decoder::new(max);
        let mut events = Vec::new();
        for piece in input.chunks(64) {
            d.feed(piece);
            events.extend(std::iter::from_fn(|| d.next()));
            assert!(d.buf.len() <= 128, "buffered {} bytes", d.buf.len());
        }
        let briefs: Vec<_> = events.iter().map(brief).collect();
        assert_eq!(briefs, [(-32700, json!(null)), good()]);
        assert!(
            matches!(&events[0], Event::Rejected(r) if r.reason.contains("over the limit")),
            "{events:?}"
        );
        // A body at the limit is read.
        let body = format!(r#"{{"jsonrpc":"2.0","method":"{}"}}"#, "m".repeat(71));
        assert_eq!(body.len(), 100);
        let (events, _) = decode_with(&frame(body.as_bytes()), 100, max);
        assert_eq!(events, [Event::Message(body.into_bytes())]);
    }

    /// A header that never ends is rejected once it passes the limit, and the buffer is
    /// dropped as junk is scanned.
    #[test]
    fn an_endless_header_is_bounded() {
        let mut input = b"Content-Length: 2\r\nX: ".to_vec();
        input.extend(std::iter::repeat_n(b'a', 3 * MAX_HEADER));
        input.extend(b"\r\n\r\n{}");
        input.extend(frame(GOOD));
        let (events, end) = decode_with(&input, 1000, MAX_BODY);
        let briefs: Vec<_> = events.iter().map(brief).collect();
        assert_eq!(briefs, [(-32700, json!(null)), good()]);
        assert_eq!(end, None);
    }

    /// Junk with no `Content-Length` anywhere is dropped as it is scanned.
    #[test]
    fn junk_is_dropped_as_it_is_scanned() {
        let mut d = Decoder::default();
        d.feed(b"Content-Length: ?\r\n\r\n");
        assert!(matches!(d.next(), Some(Event::Rejected(_))));
        for _ in 0..1000 {
            d.feed(&[b'z'; 1000]);
            assert_eq!(d.next(), None);
            assert!(d.buf.len() < CONTENT_LENGTH.len(), "{}", d.buf.len());
        }
        // The name split across reads is still found.
        d.feed(b"zzCONTENT-LEN");
        assert_eq!(d.next(), None);
        d.feed(b"GTH: 2\r\n\r\n{}");
        let answer = d.next().map(|e| brief(&e));
        assert_eq!(answer, Some((-32600, json!(null))));
    }

    /// The end of input inside a frame is reported, between frames it is not.
    #[test]
    fn the_end_of_input_inside_a_frame_is_reported() {
        let cases: [(&[u8], Option<&str>); 6] = [
            (b"", None),
            (b"\r\n", None),
            (b"Content-Len", Some("inside a header")),
            (
                b"Content-Length: 10\r\n\r\n{}",
                Some("inside a message body (2 of 10 bytes)"),
            ),
            (
                b"Content-Length: 1000\r\n\r\n{}",
                Some("998 bytes before the end"),
            ),
            (b"Content-Length: x\r\n\r\n{}", None),
        ];
        for (input, said) in cases {
            let (_, end) = decode_with(input, 1, 100);
            match said {
                None => assert_eq!(end, None, "{input:?}"),
                Some(s) => assert!(
                    end.as_deref().is_some_and(|e| e.contains(s)),
                    "{input:?}: {end:?}"
                ),
            }
        }
    }

    /// A reader that returns one byte per read, and `Pending` before every other one.
    struct Trickle(Vec<u8>, usize, bool);

    impl AsyncRead for Trickle {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut tokio::io::ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            self.2 = !self.2;
            if self.2 {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            if let Some(&b) = self.0.get(self.1) {
                buf.put_slice(&[b]);
                self.1 += 1;
            }
            Poll::Ready(Ok(()))
        }
    }

    /// Splits framed output into bodies, checking that it is canonically framed.
    fn bodies(mut out: &[u8]) -> Vec<Value> {
        let mut bodies = Vec::new();
        while !out.is_empty() {
            let rest = out
                .strip_prefix(b"Content-Length: ")
                .expect("a canonical header");
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            let len: usize = std::str::from_utf8(&rest[..digits])
                .expect("digits")
                .parse()
                .expect("a length");
            let body = rest[digits..].strip_prefix(b"\r\n\r\n").expect("CRLF CRLF");
            bodies.push(serde_json::from_slice(&body[..len]).expect("a JSON body"));
            out = &body[len..];
        }
        bodies
    }

    /// `pump`, reading one byte at a time: good frames come out canonically framed, a bad
    /// one as its stand-in request, each rejection is logged, and so is a frame cut by the
    /// end of input; the output is shut down.
    #[tokio::test]
    async fn pump_reframes_and_stands_in_for_rejected_frames() {
        let mut input = format!("content-length: {}\n\n", GOOD.len()).into_bytes();
        input.extend_from_slice(GOOD);
        input.extend(frame(br#"{"jsonrpc":"1.0","id":"q","method":"x"}"#));
        input.extend(b"Content-Length: 40\r\n\r\n{\"jsonrpc\"");
        let (server, mut from_pump) = tokio::io::duplex(16);
        let mut logged = Vec::new();
        let reading = pump(Trickle(input, 0, false), server, |l| {
            logged.push(l.to_owned())
        });
        let mut out = Vec::new();
        let (_, read) = tokio::join!(reading, from_pump.read_to_end(&mut out));
        read.expect("the pump's output ends");
        let bodies = bodies(&out);
        assert_eq!(bodies.len(), 2, "{bodies:?}");
        assert_eq!(
            bodies[0],
            serde_json::from_slice::<Value>(GOOD).expect("JSON")
        );
        assert_eq!(bodies[1]["method"], json!(REJECTED_METHOD));
        assert_eq!(bodies[1]["id"], json!("q"));
        assert_eq!(bodies[1]["params"]["code"], json!(-32600));
        assert_eq!(logged.len(), 2, "{logged:?}");
        assert!(
            logged[0].contains("rejected a frame (-32600)"),
            "{logged:?}"
        );
        assert!(logged[1].contains("inside a message body"), "{logged:?}");
    }

    /// A flood of bad frames logs a bounded number of lines.
    #[tokio::test]
    async fn a_flood_of_bad_frames_logs_a_bounded_number_of_lines() {
        let input = frame(b"{").repeat(1000);
        let (server, mut from_pump) = tokio::io::duplex(1 << 16);
        let mut logged = Vec::new();
        let reading = pump(&input[..], server, |l| logged.push(l.to_owned()));
        let mut out = Vec::new();
        let (_, read) = tokio::join!(reading, from_pump.read_to_end(&mut out));
        read.expect("the pump's output ends");
        assert_eq!(bodies(&out).len(), 1000, "every bad frame is stood in for");
        assert_eq!(logged.len(), LOGGED_REJECTIONS as usize + 2, "{logged:?}");
        assert!(logged[logged.len() - 1].contains("1000 frames rejected"));
    }

    /// `pump` stops when the server stops reading, even if the client keeps writing.
    #[tokio::test]
    async fn pump_stops_when_the_server_stops_reading() {
        let (server, from_pump) = tokio::io::duplex(64);
        drop(from_pump);
        let input = frame(GOOD).repeat(100);
        let done = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            pump(&input[..], server, |_| {}),
        )
        .await;
        assert!(done.is_ok(), "pump returned");
    }

    /// The stand-in request is answered with the rejection's error and id, and anything else
    /// goes to the inner service.
    #[test]
    fn answer_rejected_answers_stand_ins_only() {
        struct Inner(usize);
        impl Service<Request> for Inner {
            type Response = Option<Response>;
            type Error = ExitedError;
            type Future = Ready<Result<Option<Response>, ExitedError>>;
            fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
                Poll::Ready(Ok(()))
            }
            fn call(&mut self, _: Request) -> Self::Future {
                self.0 += 1;
                ready(Ok(None))
            }
        }
        let mut service = AnswerRejected(Inner(0));
        let rejection = Rejection {
            code: ErrorCode::InvalidRequest,
            reason: "because".into(),
            id: Id::String("r".into()),
        };
        let req: Request = serde_json::from_slice(&rejection.stand_in()).expect("a request");
        let answer = service
            .call(req)
            .now_or_never()
            .expect("ready")
            .expect("no exit")
            .expect("an answer");
        let answer = serde_json::to_value(answer).expect("JSON");
        assert_eq!(answer["id"], json!("r"));
        assert_eq!(answer["error"]["code"], json!(-32600));
        assert_eq!(
            answer["error"]["message"],
            json!("Invalid request: because")
        );
        assert_eq!(service.0.0, 0);
        let other: Request = serde_json::from_slice(GOOD).expect("a request");
        let answer = service
            .call(other)
            .now_or_never()
            .expect("ready")
            .expect("no exit");
        assert!(answer.is_none());
        assert_eq!(service.0.0, 1);
    }
}
