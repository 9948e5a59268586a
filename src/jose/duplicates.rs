//! Finding duplicate member names in JSON text. `serde_json` (with `preserve_order`) keeps the
//! last copy silently, while other parsers keep the first: a token whose header or claims say
//! `"role":"anon"` and `"role":"service_role"` means different things to different services.
//! This pass walks the raw text once (serde's own recursion limit bounds the depth) and records
//! every name that occurs twice in one object, at every level, with all of its copies.

use crate::jose::error::{CoreError, Segment};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The most duplicate names recorded for one document (the rest are not listed).
pub const MAX_REPORTED: usize = 32;

/// One member name that occurs more than once in the same JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateMember {
    /// The token segment it is in.
    pub segment: Segment,
    /// Where the object is: empty for the top level, `app_metadata`, `amr[0]`, ...
    pub path: String,
    /// The repeated name.
    pub name: String,
    /// Every copy's value, in document order.
    pub copies: Vec<Value>,
}

impl DuplicateMember {
    /// The rejection verify gives for it.
    pub fn to_error(&self) -> CoreError {
        CoreError::DuplicateMember {
            segment: self.segment,
            path: self.path.clone(),
            name: self.name.clone(),
            count: self.copies.len(),
        }
    }

    /// The warning decode shows above the claims, listing every copy.
    pub fn warning(&self) -> String {
        let copies: Vec<String> = self.copies.iter().map(Value::to_string).collect();
        let place = if self.path.is_empty() {
            String::new()
        } else {
            format!(" inside `{}`", self.path)
        };
        format!(
            "the {} has {} `{}` members{place}: {}. JSON parsers disagree on which wins, so verify refuses this token; the JSON shown keeps the last copy.",
            self.segment.name(),
            self.copies.len(),
            self.name,
            copies.join(", ")
        )
    }

    /// A stable code for scripts.
    pub fn code(&self) -> &'static str {
        "duplicate_member"
    }
}

/// `{"code":"duplicate_member","segment":...,"path":...,"name":...,"copies":[...]}` in `--json`.
impl serde::Serialize for DuplicateMember {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("DuplicateMember", 5)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("segment", &self.segment)?;
        s.serialize_field("path", &self.path)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("copies", &self.copies)?;
        s.end()
    }
}

/// Every duplicated member name in the JSON `text` (empty when there are none or the text
/// is not JSON: parsing errors are reported by the real parse).
pub fn duplicate_members(text: &str, segment: Segment) -> Vec<DuplicateMember> {
    let mut found = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let scan = Scan {
        path: String::new(),
        segment,
        found: &mut found,
    };
    if scan.deserialize(&mut de).is_err() {
        return Vec::new();
    }
    found
}

struct Scan<'a> {
    path: String,
    segment: Segment,
    found: &'a mut Vec<DuplicateMember>,
}

impl Scan<'_> {
    fn child(&mut self, step: String) -> Scan<'_> {
        Scan {
            path: step,
            segment: self.segment,
            found: self.found,
        }
    }

    fn member_path(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.path)
        }
    }
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let step = format!("{}[{}]", self.path, items.len());
            match seq.next_element_seed(self.child(step))? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut positions: HashMap<String, Vec<usize>> = HashMap::new();
        while let Some(name) = map.next_key::<String>()? {
            let step = self.member_path(&name);
            let value = map.next_value_seed(self.child(step))?;
            positions
                .entry(name.clone())
                .or_default()
                .push(entries.len());
            entries.push((name, value));
        }
        for (i, (name, _)) in entries.iter().enumerate() {
            let Some(at) = positions.get(name) else {
                continue;
            };
            if at.len() > 1 && at.first() == Some(&i) && self.found.len() < MAX_REPORTED {
                self.found.push(DuplicateMember {
                    segment: self.segment,
                    path: self.path.clone(),
                    name: name.clone(),
                    copies: at.iter().map(|&j| entries[j].1.clone()).collect(),
                });
            }
        }
        let mut object = Map::new();
        for (name, value) in entries {
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_member_found_at_every_level_with_every_copy() {
        let found = duplicate_members(
            r#"{"role":"anon","a":{"x":1,"x":2,"x":3},"l":[{"k":1,"k":true}],"role":"service_role"}"#,
            Segment::Payload,
        );
        let names: Vec<(&str, &str, usize)> = found
            .iter()
            .map(|d| (d.path.as_str(), d.name.as_str(), d.copies.len()))
            .collect();
        assert_eq!(names, [("a", "x", 3), ("l[0]", "k", 2), ("", "role", 2)]);
        assert_eq!(
            found[2].copies,
            [Value::from("anon"), Value::from("service_role")]
        );
    }

    #[test]
    fn duplicate_member_none_in_clean_or_broken_json() {
        assert!(duplicate_members(r#"{"a":1,"b":{"a":2}}"#, Segment::Header).is_empty());
        assert!(duplicate_members(r#"{"a":1,"a":"#, Segment::Header).is_empty());
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(duplicate_members(&deep, Segment::Payload).is_empty());
    }

    #[test]
    fn duplicate_member_report_is_bounded() {
        let body: Vec<String> = (0..100).map(|i| format!("\"k{i}\":1,\"k{i}\":2")).collect();
        let found = duplicate_members(&format!("{{{}}}", body.join(",")), Segment::Payload);
        assert_eq!(found.len(), MAX_REPORTED);
    }
}
