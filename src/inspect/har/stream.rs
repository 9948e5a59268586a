//! The streaming reader of a HAR: the top-level object, `log` and `log.entries` as serde
//! seeds, so each entry is deserialized, handed on and dropped before the next is read.

use super::Entry;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::Read;

/// What is done with each entry; an `Err` stops the reading with that message.
pub(super) type EachEntry<'a> = &'a mut dyn FnMut(Entry) -> Result<(), String>;

/// Reads `reader`'s HAR, calling `each` for every entry of `log.entries`, in order. Returns
/// whether `log.entries` was there.
pub(super) fn read_entries<R: Read>(reader: R, each: EachEntry<'_>) -> Result<bool, String> {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    Root { each }
        .deserialize(&mut de)
        .map_err(|e| format!("not a readable HAR file: {e}"))
}

/// The top-level object: finds `log`. Yields whether `log.entries` was seen.
struct Root<'a> {
    each: EachEntry<'a>,
}

impl<'de> DeserializeSeed<'de> for Root<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR object {\"log\": …}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                seen |= map.next_value_seed(Log {
                    each: &mut *self.each,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(seen)
    }
}

struct Log<'a> {
    each: EachEntry<'a>,
}

impl<'de> DeserializeSeed<'de> for Log<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR log object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                map.next_value_seed(Entries {
                    each: &mut *self.each,
                })?;
                seen = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(seen)
    }
}

struct Entries<'a> {
    each: EachEntry<'a>,
}

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the log.entries array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Entry>()? {
            (self.each)(entry).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}
