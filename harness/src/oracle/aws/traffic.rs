//! HTTP traffic files: the simulator's exchanges as JSON lines, replayed offline through the
//! real SDK client ([`ReplayHttp`]) and written by [`RecordingHttp`].
//!
//! One line is one exchange: the operation, the request's form body (the IAM query protocol's
//! `Action=...&Version=...&...`, its parameters sorted), the response status and XML body. The
//! request is matched by its form body alone, so a replay does not depend on the order of calls,
//! signatures, dates or credentials — and a traffic file never holds credentials: they travel in
//! headers, which are not written. A form body seen several times answers with its lines in
//! order, the last one repeated (so a fault followed by a success can be scripted).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use serde::{Deserialize, Serialize};

/// What the replay says when it holds no answer (recognised as "not recorded").
pub const NOT_RECORDED: &str = "iamspec traffic replay: no recorded response for this request";

/// One exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The operation (`SimulateCustomPolicy`...), for readers.
    #[serde(default)]
    pub operation: String,
    /// The request's form body, parameters sorted ([`canonical_form`]).
    pub request: String,
    /// The HTTP status.
    pub status: u16,
    /// The response body (XML).
    pub body: String,
    /// Where the exchange comes from (a synthetic fixture says so, and which documented shape
    /// it follows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A form body with its `&`-separated parameters sorted.
pub fn canonical_form(body: &str) -> String {
    let mut params: Vec<&str> = body.split('&').filter(|p| !p.is_empty()).collect();
    params.sort_unstable();
    params.join("&")
}

/// The `Action` parameter of a form body.
pub fn operation_of(form: &str) -> String {
    form.split('&')
        .find_map(|p| p.strip_prefix("Action="))
        .unwrap_or("")
        .to_string()
}

/// Reads a traffic file.
pub fn read_exchanges(path: &Path) -> Result<Vec<Exchange>, String> {
    let file = File::open(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let exchange: Exchange = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: not a recorded exchange: {e}", path.display(), i + 1))?;
        out.push(exchange);
    }
    Ok(out)
}

/// Answers from a traffic file.
#[derive(Debug, Clone)]
pub struct ReplayHttp {
    answers: Arc<Mutex<HashMap<String, Vec<Exchange>>>>,
}

impl ReplayHttp {
    /// Reads `path`.
    pub fn open(path: &Path) -> Result<ReplayHttp, String> {
        Ok(ReplayHttp::new(read_exchanges(path)?))
    }

    /// Answers with `exchanges`.
    pub fn new(exchanges: Vec<Exchange>) -> ReplayHttp {
        let mut answers: HashMap<String, Vec<Exchange>> = HashMap::new();
        for e in exchanges {
            answers
                .entry(canonical_form(&e.request))
                .or_default()
                .push(e);
        }
        ReplayHttp {
            answers: Arc::new(Mutex::new(answers)),
        }
    }

    fn answer(&self, form: &str) -> Option<Exchange> {
        let mut answers = self.answers.lock().ok()?;
        let list = answers.get_mut(form)?;
        match list.len() {
            0 => None,
            1 => list.first().cloned(),
            _ => Some(list.remove(0)),
        }
    }
}

fn response(status: u16, body: String) -> Result<HttpResponse, ConnectorError> {
    let status = StatusCode::try_from(status)
        .map_err(|e| ConnectorError::other(format!("status {status}: {e}").into(), None))?;
    let mut response = HttpResponse::new(status, SdkBody::from(body));
    response.headers_mut().insert("content-type", "text/xml");
    Ok(response)
}

fn form_of(request: &HttpRequest) -> String {
    request
        .body()
        .bytes()
        .map(|b| canonical_form(&String::from_utf8_lossy(b)))
        .unwrap_or_default()
}

impl HttpConnector for ReplayHttp {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let form = form_of(&request);
        let result = match self.answer(&form) {
            Some(e) => response(e.status, e.body),
            None => Err(ConnectorError::other(
                format!("{NOT_RECORDED} ({})", operation_of(&form)).into(),
                None,
            )),
        };
        HttpConnectorFuture::new(async move { result })
    }
}

impl HttpClient for ReplayHttp {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.clone().into_shared()
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        Some(ConnectorMetadata::new("iamspec-traffic-replay", None))
    }
}

/// Wraps an HTTP client and appends every exchange to a traffic file (headers, and so
/// credentials, are never written).
#[derive(Debug, Clone)]
pub struct RecordingHttp {
    inner: SharedHttpClient,
    out: Arc<Mutex<File>>,
    path: PathBuf,
}

impl RecordingHttp {
    /// Appends to `path` (created if needed).
    pub fn new(inner: SharedHttpClient, path: &Path) -> Result<RecordingHttp, String> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        Ok(RecordingHttp {
            inner,
            out: Arc::new(Mutex::new(file)),
            path: path.to_path_buf(),
        })
    }
}

#[derive(Debug, Clone)]
struct RecordingConnector {
    inner: SharedHttpConnector,
    out: Arc<Mutex<File>>,
    path: PathBuf,
}

impl HttpConnector for RecordingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let form = form_of(&request);
        let call = self.inner.call(request);
        let out = self.out.clone();
        let path = self.path.clone();
        HttpConnectorFuture::new(async move {
            let answered = call.await?;
            let status = answered.status().as_u16();
            let bytes = ByteStream::new(answered.into_body())
                .collect()
                .await
                .map_err(|e| ConnectorError::io(e.into()))?
                .into_bytes();
            let body = String::from_utf8_lossy(&bytes).into_owned();
            let exchange = Exchange {
                operation: operation_of(&form),
                request: form,
                status,
                body: body.clone(),
                note: None,
            };
            if let Ok(mut line) = serde_json::to_string(&exchange) {
                line.push('\n');
                let written = out
                    .lock()
                    .map_err(|_| "poisoned".to_string())
                    .and_then(|mut f| f.write_all(line.as_bytes()).map_err(|e| e.to_string()));
                if let Err(e) = written {
                    eprintln!("iamspec: {}: cannot record: {e}", path.display());
                }
            }
            response(status, body)
        })
    }
}

impl HttpClient for RecordingHttp {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        RecordingConnector {
            inner: self.inner.http_connector(settings, components),
            out: self.out.clone(),
            path: self.path.clone(),
        }
        .into_shared()
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        Some(ConnectorMetadata::new("iamspec-traffic-recorder", None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_matched_whatever_the_parameter_order() {
        assert_eq!(
            canonical_form("Version=2010-05-08&Action=SimulateCustomPolicy&ActionNames.member.1=s3%3AGetObject"),
            canonical_form("ActionNames.member.1=s3%3AGetObject&Action=SimulateCustomPolicy&Version=2010-05-08")
        );
        assert_eq!(
            operation_of("Action=SimulateCustomPolicy&Version=1"),
            "SimulateCustomPolicy"
        );
        let replay = ReplayHttp::new(vec![
            Exchange {
                operation: "X".into(),
                request: "b=2&a=1".into(),
                status: 500,
                body: "first".into(),
                note: None,
            },
            Exchange {
                operation: "X".into(),
                request: "a=1&b=2".into(),
                status: 200,
                body: "then".into(),
                note: None,
            },
        ]);
        assert_eq!(replay.answer("a=1&b=2").unwrap().status, 500);
        assert_eq!(replay.answer("a=1&b=2").unwrap().status, 200);
        assert_eq!(replay.answer("a=1&b=2").unwrap().status, 200);
        assert!(replay.answer("a=1").is_none());
    }
}
