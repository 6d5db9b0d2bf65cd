//! The process client: runs a third-party evaluator program and speaks the evaluator protocol
//! (`docs/protocol/README.md`) with it.
//!
//! [`ProcessEvaluator`] starts `sh -c COMMAND` in its own process group (a command that is one
//! simple command, such as `python3 adapter.py` or a path to a script, is run directly, as
//! `sh -c 'exec COMMAND'` would: then the evaluator is the harness's own child and closing its
//! stdout or stdin is seen at once, not hidden by a waiting shell), sends `start`, then one
//! `run` per case with a fresh `seq`, and waits for the answer line up to a per-case timeout
//! (the same timeout bounds `start`). A crash (stdout or stdin closed, or the process exited,
//! even when a child it left behind still holds its stdout), a hang (no full line before the
//! timeout) or garbage (not one of the three answer shapes, another `seq`, a wrong number of
//! results, a schema violation under `--validate-protocol`) is reported for that case as a
//! [`ProcessFailure`]; the process is killed and restarted before the next case, and the run
//! goes on. A restart whose `start` fails makes the evaluator unavailable for the rest of the
//! run. The tail of its stderr is kept and attached to every failure. `stop` ends the
//! conversation.
//!
//! Nothing an evaluator sends can make this module panic. It does not compare answers with
//! expectations: see [`crate::oracle`] and [`crate::run::compare`].

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command as OsCommand, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use iamspec_format::protocol::{Command, Implementation, RunAnswer, StartResponse};
use iamspec_format::Case;
use serde_json::Value;

use crate::oracle::process::schemas::{Message, ProtocolSchemas};

/// The default per-case timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time an evaluator has to answer `start` (interpreters load slowly).
pub const DEFAULT_START_TIMEOUT: Duration = Duration::from_secs(60);
/// How much of the evaluator's stderr is kept (the last bytes).
const STDERR_TAIL: usize = 16 * 1024;
/// The longest answer line accepted.
const MAX_LINE: u64 = 64 * 1024 * 1024;
/// How long `stop` waits for the evaluator to exit before killing it.
const STOP_GRACE: Duration = Duration::from_secs(3);
/// How often a wait for an answer looks whether the process is still alive.
const ALIVE_POLL: Duration = Duration::from_millis(50);
/// How long after the process exited a wait still takes a line it wrote before exiting.
const EXIT_GRACE: Duration = Duration::from_millis(200);
/// How long a process whose stdout or stdin closed has to exit by itself before it is killed.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// How to run an evaluator.
#[derive(Debug, Clone)]
pub struct ProcessOptions {
    /// How long one case may take, from writing `run` to reading a full answer line.
    pub timeout: Duration,
    /// How long `start` may take.
    pub start_timeout: Duration,
    /// Check every line the evaluator sends against the protocol's JSON Schemas.
    pub validate_protocol: bool,
}

impl Default for ProcessOptions {
    fn default() -> Self {
        ProcessOptions {
            timeout: DEFAULT_TIMEOUT,
            start_timeout: DEFAULT_START_TIMEOUT,
            validate_protocol: false,
        }
    }
}

impl ProcessOptions {
    /// The options of a `--timeout`: it bounds `start` as well as each case.
    pub fn with_timeout(timeout: Duration) -> ProcessOptions {
        ProcessOptions {
            timeout,
            start_timeout: timeout,
            validate_protocol: false,
        }
    }
}

/// What went wrong with the evaluator process on one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// No full answer line before the timeout.
    Timeout,
    /// Stdout closed or the process exited.
    Crash,
    /// The line is not a valid answer (not JSON, wrong shape, wrong `seq`, wrong count).
    Garbage,
    /// The evaluator could not be (re)started.
    Unavailable,
}

impl FailureKind {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            FailureKind::Timeout => "timeout",
            FailureKind::Crash => "crash",
            FailureKind::Garbage => "garbage",
            FailureKind::Unavailable => "unavailable",
        }
    }
}

/// A case the evaluator process did not answer properly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProcessFailure {
    /// What happened.
    pub kind: FailureKind,
    /// What the harness saw (the exit status, the offending line and why it is refused...).
    pub message: String,
    /// The tail of the evaluator's stderr at the time.
    pub stderr: String,
}

impl std::fmt::Display for ProcessFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

/// The outcome of one `run`.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseOutcome {
    /// A valid answer with the right `seq` (and one result per request).
    Answered(RunAnswer),
    /// No valid answer.
    Failed(ProcessFailure),
}

/// An evaluator that could not be started at all.
#[derive(Debug, thiserror::Error)]
#[error("evaluator `{command}`: {message}{}", stderr_suffix(stderr))]
pub struct StartError {
    /// The command.
    pub command: String,
    /// What went wrong.
    pub message: String,
    /// The tail of its stderr.
    pub stderr: String,
}

fn stderr_suffix(stderr: &str) -> String {
    if stderr.trim().is_empty() {
        String::new()
    } else {
        format!("\n--- its stderr (tail) ---\n{}", stderr.trim_end())
    }
}

/// What one line read from the evaluator's stdout was (or that its stdin closed).
enum Line {
    Text(Vec<u8>),
    TooLong,
    Eof,
    Error(String),
    /// Writing to its stdin failed: it closed stdin (or died).
    StdinClosed(String),
}

/// A running evaluator process.
struct Running {
    child: Child,
    to_stdin: Option<Sender<String>>,
    lines: Receiver<Line>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_done: Receiver<()>,
}

impl Running {
    fn spawn(command: &str) -> Result<Running, String> {
        let piped = |mut os: OsCommand| {
            os.stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            #[cfg(unix)]
            {
                use std::os::unix::process::CommandExt;
                os.process_group(0);
            }
            os.spawn()
        };
        // A simple command runs directly; when that fails (a shell builtin, a program that is
        // not there), `sh -c` runs it and says why on stderr.
        let direct = simple_command(command).and_then(|words| {
            let mut os = OsCommand::new(&words[0]);
            os.args(&words[1..]);
            piped(os).ok()
        });
        let mut child = match direct {
            Some(child) => child,
            None => {
                let mut os = OsCommand::new("sh");
                os.arg("-c").arg(command);
                piped(os).map_err(|e| format!("cannot start `sh -c`: {e}"))?
            }
        };
        let (Some(stdin), Some(stdout), Some(stderr_pipe)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            // Piped above, so the handles exist; be safe anyway.
            let _ = child.kill();
            let _ = child.wait();
            return Err("the child's pipes are missing".to_string());
        };
        let (to_stdin, stdin_rx) = mpsc::channel::<String>();
        let (line_tx, lines) = mpsc::channel();
        let stdin_closed = line_tx.clone();
        thread::spawn(move || write_lines(stdin, stdin_rx, stdin_closed));
        thread::spawn(move || read_lines(stdout, line_tx));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (done_tx, stderr_done) = mpsc::channel();
        let tail = Arc::clone(&stderr);
        thread::spawn(move || {
            read_stderr(stderr_pipe, &tail);
            let _ = done_tx.send(());
        });
        Ok(Running {
            child,
            to_stdin: Some(to_stdin),
            lines,
            stderr,
            stderr_done,
        })
    }

    fn send(&self, line: String) {
        if let Some(tx) = &self.to_stdin {
            // A closed channel means the writer saw the pipe break: the read that follows
            // reports the crash.
            let _ = tx.send(line);
        }
    }

    fn stderr_tail(&self) -> String {
        let bytes = match self.stderr.lock() {
            Ok(b) => b.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Waits up to `timeout` for the process to exit by itself.
    fn wait_for_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                _ => return None,
            }
        }
    }

    /// Kills the whole process group, reaps the child, and lets stderr drain briefly.
    fn kill(&mut self) -> Option<ExitStatus> {
        self.to_stdin = None;
        if let Ok(Some(status)) = self.child.try_wait() {
            kill_group(&self.child);
            self.drain_stderr();
            return Some(status);
        }
        kill_group(&self.child);
        let _ = self.child.kill();
        let status = self.child.wait().ok();
        self.drain_stderr();
        status
    }

    fn drain_stderr(&self) {
        let _ = self.stderr_done.recv_timeout(Duration::from_millis(500));
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            kill_group(&self.child);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Kills the child's process group (the child leads it), so that a wrapper's children go too.
fn kill_group(child: &Child) {
    #[cfg(unix)]
    {
        let _ = OsCommand::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    #[cfg(not(unix))]
    {
        let _ = child;
    }
}

/// Writes each line to the evaluator's stdin; a write that fails (the evaluator closed its stdin,
/// or died) is told to whoever waits for an answer, through `closed`.
fn write_lines(mut stdin: ChildStdin, rx: Receiver<String>, closed: Sender<Line>) {
    for mut line in rx {
        line.push('\n');
        if let Err(e) = stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
        {
            let _ = closed.send(Line::StdinClosed(e.to_string()));
            return;
        }
    }
    // The sender is gone: dropping stdin closes the pipe.
}

/// The words of `command` when it is one simple command: words of plain characters, `'...'`
/// and `"..."` (without `$`, `` ` `` or `\` inside), separated by blanks, the first word not an
/// assignment. `None` for anything that needs a shell (operators, redirections, expansions,
/// globs, comments, `~`).
fn simple_command(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => w.push(c),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '$' | '`' | '\\' => return None,
                        c => w.push(c),
                    }
                }
            }
            c if c.is_alphanumeric() || "-_./:,+@%=".contains(c) => {
                word.get_or_insert_with(String::new).push(c);
            }
            _ => return None,
        }
    }
    words.extend(word);
    let first = words.first()?;
    if first.is_empty() || first.contains('=') {
        return None;
    }
    Some(words)
}

fn read_lines(stdout: impl Read, tx: Sender<Line>) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut buf = Vec::new();
        let read = (&mut reader).take(MAX_LINE).read_until(b'\n', &mut buf);
        let message = match read {
            Ok(0) => Line::Eof,
            Ok(_) if buf.last() == Some(&b'\n') => {
                buf.pop();
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
                Line::Text(buf)
            }
            Ok(n) if n as u64 >= MAX_LINE => Line::TooLong,
            // The last line, without its newline: stdout closed after it.
            Ok(_) => Line::Text(buf),
            Err(e) => Line::Error(e.to_string()),
        };
        let stop = !matches!(message, Line::Text(_));
        if tx.send(message).is_err() || stop {
            return;
        }
    }
}

fn read_stderr(mut pipe: impl Read, tail: &Mutex<Vec<u8>>) {
    let mut chunk = [0u8; 4096];
    loop {
        match pipe.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let mut buf = match tail.lock() {
                    Ok(b) => b,
                    Err(poisoned) => poisoned.into_inner(),
                };
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() > STDERR_TAIL {
                    let cut = buf.len() - STDERR_TAIL;
                    buf.drain(..cut);
                }
            }
        }
    }
}

/// A third-party evaluator program, spoken to through the protocol.
#[derive(Debug)]
pub struct ProcessEvaluator {
    command: String,
    options: ProcessOptions,
    schemas: Option<Arc<ProtocolSchemas>>,
    running: Option<Running>,
    implementation: Implementation,
    unavailable: Option<String>,
    next_seq: u64,
    restarts: usize,
    last_stderr: String,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Running(pid {})", self.child.id())
    }
}

impl ProcessEvaluator {
    /// Starts `sh -c command` and does the `start` handshake. `schemas` must be given when
    /// `options.validate_protocol` is set (else validation is off).
    pub fn start(
        command: &str,
        options: ProcessOptions,
        schemas: Option<Arc<ProtocolSchemas>>,
    ) -> Result<ProcessEvaluator, StartError> {
        let schemas = if options.validate_protocol {
            schemas
        } else {
            None
        };
        let (running, implementation) =
            handshake(command, options.start_timeout, schemas.as_deref()).map_err(|f| {
                StartError {
                    command: command.to_string(),
                    message: f.message,
                    stderr: f.stderr,
                }
            })?;
        Ok(ProcessEvaluator {
            command: command.to_string(),
            options,
            schemas,
            running: Some(running),
            implementation,
            unavailable: None,
            next_seq: 0,
            restarts: 0,
            last_stderr: String::new(),
        })
    }

    /// What the evaluator said it is in its first `start` answer.
    pub fn implementation(&self) -> &Implementation {
        &self.implementation
    }

    /// The command it runs.
    pub fn command(&self) -> &str {
        &self.command
    }

    /// How many times the process was restarted.
    pub fn restarts(&self) -> usize {
        self.restarts
    }

    /// True while a process is running: false after the harness killed a misbehaving one
    /// (until the next case restarts it) and once it is unavailable.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The tail of the stderr of the current (or last) process.
    pub fn stderr_tail(&self) -> String {
        match &self.running {
            Some(r) => r.stderr_tail(),
            None => self.last_stderr.clone(),
        }
    }

    /// Sends one case and reads its answer. Never panics, whatever the evaluator does.
    pub fn run(&mut self, case: &Case) -> CaseOutcome {
        if let Some(why) = &self.unavailable {
            return CaseOutcome::Failed(ProcessFailure {
                kind: FailureKind::Unavailable,
                message: why.clone(),
                stderr: self.last_stderr.clone(),
            });
        }
        if self.running.is_none() {
            self.restarts += 1;
            match handshake(
                &self.command,
                self.options.start_timeout,
                self.schemas.as_deref(),
            ) {
                Ok((running, _)) => self.running = Some(running),
                Err(failure) => {
                    let why = format!("the restart failed ({failure}); no more cases are sent");
                    self.unavailable = Some(why.clone());
                    self.last_stderr = failure.stderr.clone();
                    return CaseOutcome::Failed(ProcessFailure {
                        kind: FailureKind::Unavailable,
                        message: why,
                        stderr: failure.stderr,
                    });
                }
            }
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let line = match (Command::Run {
            seq,
            case: Box::new(case.clone()),
        })
        .to_line()
        {
            Ok(line) => line,
            Err(e) => {
                return CaseOutcome::Failed(ProcessFailure {
                    kind: FailureKind::Unavailable,
                    message: format!("the case cannot be encoded: {e}"),
                    stderr: String::new(),
                })
            }
        };
        let Some(running) = self.running.as_mut() else {
            return CaseOutcome::Failed(ProcessFailure {
                kind: FailureKind::Unavailable,
                message: "the evaluator is not running".to_string(),
                stderr: String::new(),
            });
        };
        running.send(line);
        let result = read_answer(running, self.options.timeout, |text| {
            check_answer(text, seq, case.requests.len(), self.schemas.as_deref())
        });
        match result {
            Ok(answer) => CaseOutcome::Answered(answer),
            Err(failure) => {
                self.retire();
                CaseOutcome::Failed(failure)
            }
        }
    }

    /// Kills the current process (it is restarted before the next case).
    fn retire(&mut self) {
        if let Some(mut running) = self.running.take() {
            running.kill();
            self.last_stderr = running.stderr_tail();
        }
    }

    /// Sends `stop`, closes stdin, and waits a few seconds for the process to exit (then kills
    /// it). Returns its exit status when it exited by itself, and its stderr tail.
    pub fn stop(mut self) -> (Option<ExitStatus>, String) {
        let Some(mut running) = self.running.take() else {
            return (None, self.last_stderr.clone());
        };
        if let Ok(line) = Command::Stop.to_line() {
            running.send(line);
        }
        running.to_stdin = None;
        let status = running.wait_for_exit(STOP_GRACE);
        if status.is_none() {
            running.kill();
        } else {
            running.drain_stderr();
        }
        (status, running.stderr_tail())
    }
}

/// Starts the process and does the `start` handshake.
fn handshake(
    command: &str,
    timeout: Duration,
    schemas: Option<&ProtocolSchemas>,
) -> Result<(Running, Implementation), ProcessFailure> {
    let mut running = Running::spawn(command).map_err(|message| ProcessFailure {
        kind: FailureKind::Unavailable,
        message,
        stderr: String::new(),
    })?;
    let line = match Command::start().to_line() {
        Ok(line) => line,
        Err(e) => {
            running.kill();
            return Err(ProcessFailure {
                kind: FailureKind::Unavailable,
                message: format!("cannot encode start: {e}"),
                stderr: String::new(),
            });
        }
    };
    running.send(line);
    match read_answer(&mut running, timeout, |text| {
        check_start(text, schemas).map_err(|why| (FailureKind::Garbage, why))
    }) {
        Ok(implementation) => Ok((running, implementation)),
        Err(mut failure) => {
            running.kill();
            failure.stderr = running.stderr_tail();
            failure.message = format!("start: {}", failure.message);
            Err(failure)
        }
    }
}

fn check_start(text: &str, schemas: Option<&ProtocolSchemas>) -> Result<Implementation, String> {
    if let Some(schemas) = schemas {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON ({e}): {}", excerpt(text)))?;
        schemas
            .check(Message::StartResponse, &value)
            .map_err(|e| format!("{e}\n  line: {}", excerpt(text)))?;
    }
    StartResponse::parse(text)
        .map(|r| r.implementation)
        .map_err(|e| format!("{e}: {}", excerpt(text)))
}

fn check_answer(
    text: &str,
    seq: u64,
    requests: usize,
    schemas: Option<&ProtocolSchemas>,
) -> Result<RunAnswer, (FailureKind, String)> {
    let garbage = |why: String| {
        (
            FailureKind::Garbage,
            format!("{why}\n  line: {}", excerpt(text)),
        )
    };
    if let Some(schemas) = schemas {
        let value: Value =
            serde_json::from_str(text).map_err(|e| garbage(format!("not JSON: {e}")))?;
        schemas.check(Message::RunAnswer, &value).map_err(garbage)?;
    }
    let answer = RunAnswer::parse(text).map_err(garbage)?;
    if answer.seq() != seq {
        return Err(garbage(format!(
            "answered seq {} to run seq {seq}",
            answer.seq()
        )));
    }
    if let RunAnswer::Results(r) = &answer {
        if r.results.len() != requests {
            return Err(garbage(format!(
                "{} results for {requests} requests",
                r.results.len()
            )));
        }
    }
    Ok(answer)
}

/// Reads lines until one is accepted by `accept`, the deadline passes, or the evaluator is
/// gone: stdout closed, stdin closed, or the process exited (a child it left behind may still
/// hold stdout open; the process group is killed). A line that is not accepted is garbage (the
/// protocol has no unsolicited lines).
fn read_answer<T>(
    running: &mut Running,
    timeout: Duration,
    accept: impl Fn(&str) -> Result<T, (FailureKind, String)>,
) -> Result<T, ProcessFailure> {
    let started = Instant::now();
    let deadline = started + timeout;
    let failure = |running: &Running, kind, message| ProcessFailure {
        kind,
        message,
        stderr: running.stderr_tail(),
    };
    // Wait for a line, looking every ALIVE_POLL whether the process is still there.
    let received = loop {
        let now = Instant::now();
        if now >= deadline {
            break Err(RecvTimeoutError::Timeout);
        }
        match running.lines.recv_timeout(ALIVE_POLL.min(deadline - now)) {
            Err(RecvTimeoutError::Timeout) => {}
            other => break other,
        }
        if let Ok(Some(status)) = running.child.try_wait() {
            // It exited; take a line it wrote just before, if any.
            match running.lines.recv_timeout(EXIT_GRACE) {
                Err(RecvTimeoutError::Timeout) => {
                    running.kill();
                    return Err(failure(
                        running,
                        FailureKind::Crash,
                        format!("the evaluator exited ({status}) without answering"),
                    ));
                }
                other => break other,
            }
        }
    };
    match received {
        Ok(Line::Text(bytes)) => match String::from_utf8(bytes) {
            Ok(text) => accept(&text).map_err(|(kind, why)| failure(running, kind, why)),
            Err(e) => Err(failure(
                running,
                FailureKind::Garbage,
                format!(
                    "the answer line is not UTF-8: {}",
                    excerpt(&String::from_utf8_lossy(e.as_bytes()))
                ),
            )),
        },
        Ok(Line::TooLong) => Err(failure(
            running,
            FailureKind::Garbage,
            format!("an answer line longer than {MAX_LINE} bytes"),
        )),
        Ok(Line::Eof)
        | Ok(Line::Error(_))
        | Ok(Line::StdinClosed(_))
        | Err(RecvTimeoutError::Disconnected) => {
            let closed = match &received {
                Ok(Line::Error(e)) => format!("closed stdout without answering (reading it: {e})"),
                Ok(Line::StdinClosed(e)) => {
                    format!("closed its stdin without answering (writing to it: {e})")
                }
                _ => "closed stdout without answering".to_string(),
            };
            let status = running.wait_for_exit(CLOSE_GRACE);
            // Kills what is left of the group, and lets the stderr reader catch up with what
            // the process wrote before dying.
            running.kill();
            let how = match status {
                Some(s) => format!("the evaluator exited ({s}) without answering"),
                None => format!("the evaluator {closed}"),
            };
            Err(failure(running, FailureKind::Crash, how))
        }
        Err(RecvTimeoutError::Timeout) => {
            running.kill();
            Err(failure(
                running,
                FailureKind::Timeout,
                format!(
                    "no answer line within {:.1} s",
                    started.elapsed().as_secs_f64()
                ),
            ))
        }
    }
}

/// The start of a line, for messages.
fn excerpt(text: &str) -> String {
    const MAX: usize = 300;
    if text.len() <= MAX {
        text.to_string()
    } else {
        let mut end = MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}... ({} bytes)", &text[..end], text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamspec_format::protocol::RequestAnswer;

    fn case(requests: usize) -> Case {
        let reqs: Vec<String> = (0..requests)
            .map(|i| format!(r#"{{"name":"r{i}","action":"s3:GetObject","resource":{{"arn":"*"}},"expect":{{"decision":"allowed"}}}}"#))
            .collect();
        serde_json::from_str(&format!(
            r#"{{"description":"d","source":{{"kind":"seeds","ref":"r"}},"features":[],
                "principal":{{"arn":"arn:aws:iam::111122223333:user/a"}},
                "requests":[{}]}}"#,
            reqs.join(",")
        ))
        .unwrap()
    }

    /// A shell evaluator: answers start, then for each run line runs `body` with `$seq` set.
    fn script(body: &str) -> String {
        format!(
            r#"read -r line; echo '{{"version":1,"implementation":{{"name":"sh","version":"1","language":"sh","homepage":"https://example.com","issues":"https://example.com/i"}}}}'
while read -r line; do
  case "$line" in *'"cmd":"stop"'*) exit 0;; esac
  seq=$(printf '%s' "$line" | sed 's/.*"seq":\([0-9]*\).*/\1/')
  {body}
done"#
        )
    }

    fn options() -> ProcessOptions {
        ProcessOptions {
            timeout: Duration::from_millis(1500),
            start_timeout: Duration::from_secs(10),
            validate_protocol: true,
        }
    }

    fn start(body: &str) -> ProcessEvaluator {
        let schemas = Arc::new(ProtocolSchemas::new().unwrap());
        ProcessEvaluator::start(&script(body), options(), Some(schemas)).unwrap()
    }

    #[test]
    fn a_well_behaved_evaluator_answers_and_stops() {
        let mut e = start(r#"echo "{\"seq\":$seq,\"results\":[{\"decision\":\"allowed\"}]}""#);
        assert_eq!(e.implementation().name, "sh");
        for _ in 0..3 {
            match e.run(&case(1)) {
                CaseOutcome::Answered(RunAnswer::Results(r)) => {
                    assert!(matches!(r.results[0], RequestAnswer::Decision(_)))
                }
                other => panic!("{other:?}"),
            }
        }
        let (status, _) = e.stop();
        assert!(status.is_some_and(|s| s.success()));
    }

    #[test]
    fn garbage_a_wrong_seq_and_a_wrong_count_are_reported_and_the_run_goes_on() {
        // seq 0: garbage; seq 1 (after a restart the counter goes on): wrong seq; then a wrong
        // count; then fine.
        let mut e = start(
            r#"if [ "$seq" = 0 ]; then echo 'hello'; elif [ "$seq" = 1 ]; then echo '{"seq":99,"results":[{"decision":"allowed"}]}'; elif [ "$seq" = 2 ]; then echo "{\"seq\":$seq,\"results\":[]}"; else echo "{\"seq\":$seq,\"skipped\":true,\"message\":\"no\"}"; fi"#,
        );
        let kinds: Vec<String> = (0..4)
            .map(|_| match e.run(&case(1)) {
                CaseOutcome::Failed(f) => format!("{}: {}", f.kind.name(), f.message),
                CaseOutcome::Answered(a) => format!("answered {}", a.seq()),
            })
            .collect();
        assert!(kinds[0].starts_with("garbage: not JSON"), "{kinds:?}");
        assert!(
            kinds[1].contains("answered seq 99 to run seq 1"),
            "{kinds:?}"
        );
        assert!(kinds[2].contains("0 results for 1 requests"), "{kinds:?}");
        assert_eq!(kinds[3], "answered 3");
        assert_eq!(e.restarts(), 3);
    }

    #[test]
    fn a_hang_times_out_and_a_crash_is_seen_with_stderr() {
        let mut e = start(
            r#"if [ "$seq" = 0 ]; then sleep 30; elif [ "$seq" = 1 ]; then echo 'dying now' >&2; exit 3; else echo "{\"seq\":$seq,\"errored\":true,\"context\":{\"message\":\"boom\"}}"; fi"#,
        );
        let started = Instant::now();
        match e.run(&case(1)) {
            CaseOutcome::Failed(f) => assert_eq!(f.kind, FailureKind::Timeout, "{f:?}"),
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(10));
        match e.run(&case(1)) {
            CaseOutcome::Failed(f) => {
                assert_eq!(f.kind, FailureKind::Crash, "{f:?}");
                assert!(f.message.contains("exit status: 3"), "{f:?}");
                assert!(f.stderr.contains("dying now"), "{f:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            e.run(&case(1)),
            CaseOutcome::Answered(RunAnswer::Errored(_))
        ));
    }

    /// Starts `sh FILE` (a simple command, as a user would give) where FILE holds `script`,
    /// with a 20 s timeout for the case and for `start`.
    fn start_file(dir: &std::path::Path, script: &str) -> ProcessEvaluator {
        let file = dir.join("evaluator.sh");
        std::fs::write(&file, script).unwrap();
        let options = ProcessOptions::with_timeout(Duration::from_secs(20));
        ProcessEvaluator::start(&format!("sh {}", file.display()), options, None).unwrap()
    }

    const START_ANSWER: &str = r#"echo '{"version":1,"implementation":{"name":"sh","version":"1","language":"sh","homepage":"https://example.com","issues":"https://example.com/i"}}'"#;

    /// Issue 13: each of these was "timed out" after the whole timeout; the protocol calls a
    /// closed stdout a crash, and a process that is gone cannot answer.
    #[test]
    fn closed_pipes_and_an_exit_that_leaves_a_child_are_crashes_seen_at_once() {
        let dir = tempfile::tempdir().unwrap();
        for (what, script, said) in [
            (
                "closes stdout and keeps running",
                format!("read -r line\n{START_ANSWER}\nread -r line\nexec >&-\nsleep 30\n"),
                "closed stdout",
            ),
            (
                "exits, leaving a child that holds stdout",
                format!("read -r line\n{START_ANSWER}\nread -r line\nsleep 30 &\nexit 3\n"),
                "exited (exit status: 3)",
            ),
            (
                "closes stdin and keeps running",
                format!("read -r line\nexec <&-\n{START_ANSWER}\nsleep 30\n"),
                "closed its stdin",
            ),
        ] {
            let mut e = start_file(dir.path(), &script);
            let started = Instant::now();
            match e.run(&case(1)) {
                CaseOutcome::Failed(f) => {
                    assert_eq!(f.kind, FailureKind::Crash, "{what}: {f:?}");
                    assert!(f.message.contains(said), "{what}: {f:?}");
                }
                other => panic!("{what}: {other:?}"),
            }
            // The timeout is 20 s; a crash is seen within the close grace (1 s), with room
            // for a loaded machine.
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{what}: took {:?}",
                started.elapsed()
            );
        }
    }

    #[test]
    fn start_waits_for_the_timeout_it_is_given() {
        let options = ProcessOptions::with_timeout(Duration::from_millis(500));
        let started = Instant::now();
        let err = ProcessEvaluator::start("sleep 30", options, None).unwrap_err();
        assert!(err.message.contains("no answer line within"), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn simple_commands_run_directly_and_the_rest_under_sh() {
        assert_eq!(
            simple_command("python3 adapter.py --x=1"),
            Some(vec!["python3".into(), "adapter.py".into(), "--x=1".into()])
        );
        assert_eq!(
            simple_command(r#"node '/a b/c.js' "d e""#),
            Some(vec!["node".into(), "/a b/c.js".into(), "d e".into()])
        );
        for shell in [
            "a && b",
            "a | b",
            "a > f",
            "X=1 a",
            "a $HOME",
            r#"a "$HOME""#,
            "a `b`",
            "a *.json",
            "~/run.sh",
            "a # c",
            "a; b",
            "'unterminated",
            "",
            "a\nb",
        ] {
            assert_eq!(simple_command(shell), None, "{shell}");
        }
    }

    #[test]
    fn schema_violations_are_garbage_under_validation() {
        let mut e = start(
            r#"echo "{\"seq\":$seq,\"skipped\":true,\"message\":\"m\",\"issue_url\":\"not a uri\"}""#,
        );
        match e.run(&case(1)) {
            CaseOutcome::Failed(f) => {
                assert_eq!(f.kind, FailureKind::Garbage);
                assert!(f.message.contains("skipped.schema.json"), "{f:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_evaluator_that_cannot_start_is_an_error_and_a_failed_restart_makes_it_unavailable() {
        let err = ProcessEvaluator::start(
            "echo nope >&2; exit 1",
            options(),
            Some(Arc::new(ProtocolSchemas::new().unwrap())),
        )
        .unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");

        // Starts once (a marker file), then refuses to start again.
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("started");
        let body = r#"exit 4"#;
        let command = format!(
            "if [ -e {m} ]; then exit 1; fi; touch {m}; {s}",
            m = marker.display(),
            s = script(body)
        );
        let mut e = ProcessEvaluator::start(&command, options(), None).unwrap();
        for _ in 0..3 {
            assert!(matches!(e.run(&case(1)), CaseOutcome::Failed(_)));
        }
        match e.run(&case(1)) {
            CaseOutcome::Failed(f) => assert_eq!(f.kind, FailureKind::Unavailable),
            other => panic!("{other:?}"),
        }
    }
}
