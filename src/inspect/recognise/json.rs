//! JSON pastes (a Supabase session, a HAR, any JSON) and JSON values inside cookies and
//! bodies: every string is judged by its key or its shape, nested JSON text is opened.

use super::{Collector, kind_by_key, kind_by_shape};
use crate::inspect::Slot;
use crate::safe_text::redact::looks_like_jwt;
use serde_json::Value;

/// The members that make a JSON object an error body (PostgREST, GoTrue, Storage, OAuth).
const ERROR_FIELDS: [&str; 6] = [
    "message",
    "msg",
    "error",
    "error_description",
    "hint",
    "details",
];

impl Collector {
    pub(super) fn json_paste(&mut self, t: &str) -> bool {
        let Ok(value) = serde_json::from_str::<Value>(t) else {
            return false;
        };
        if value.pointer("/log/entries").is_some() {
            self.out.shape = "a HAR file (use `supajwt har` for the per-request view)".into();
        } else if value.get("access_token").is_some() && value.get("user").is_some() {
            self.out.shape =
                "a Supabase session (supabase-js localStorage / GoTrue /token response)".into();
        } else {
            self.out.shape = "JSON".into();
        }
        self.json("json", "$", &value);
        true
    }

    pub(super) fn json(&mut self, prefix: &str, path: &str, value: &Value) {
        match value {
            Value::Object(map) => {
                // An error body (PostgREST's {"code":"PGRST301","message":…}, GoTrue's
                // {"error_code":…,"msg":…}): its codes are not credentials.
                let error_body = ERROR_FIELDS.iter().any(|f| map.contains_key(*f));
                for (k, v) in map {
                    let p = format!("{path}.{k}");
                    let key = (!(error_body && k.ends_with("code"))).then_some(k.as_str());
                    match v {
                        Value::String(s) => self.json_string(prefix, &p, key, s),
                        other => self.json(prefix, &p, other),
                    }
                }
            }
            Value::Array(items) => {
                // The older auth-helpers cookie: [access_token, refresh_token, provider_token, provider_refresh_token, …].
                let legacy = items
                    .first()
                    .and_then(Value::as_str)
                    .is_some_and(looks_like_jwt)
                    && items.get(1).is_some_and(Value::is_string);
                let names = [
                    "access_token",
                    "refresh_token",
                    "provider_token",
                    "provider_refresh_token",
                ];
                for (i, v) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    let key = if legacy { names.get(i).copied() } else { None };
                    match v {
                        Value::String(s) => self.json_string(prefix, &p, key, s),
                        other => self.json(prefix, &p, other),
                    }
                }
            }
            _ => {}
        }
    }

    fn json_string(&mut self, prefix: &str, path: &str, key: Option<&str>, s: &str) {
        let t = s.trim();
        if (t.starts_with('{') || t.starts_with('['))
            && t.len() > 2
            && let Ok(inner) = serde_json::from_str::<Value>(t)
        {
            return self.json(prefix, path, &inner);
        }
        let kind = match key {
            Some(k) => kind_by_key(k, t),
            None => kind_by_shape(t),
        };
        if let Some(kind) = kind {
            self.push(format!("{prefix} {path}"), kind, t, Slot::Stored, vec![]);
        } else if t.len() > 40 && t.contains("eyJ") {
            self.scan(t, &format!("{prefix} {path}"), Slot::Stored);
        }
    }
}
