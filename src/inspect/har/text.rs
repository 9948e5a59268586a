//! The strings of one HAR entry as serde reads them from the stream's buffer: [`Text`]
//! borrows a string (copies it only when it has escapes) or says it was too large to read
//! (the stream's stand-in, `{"\u0000":0}`).

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Unexpected, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A string of an entry, or the stand-in for one longer than the paste limit.
#[derive(Debug)]
pub(super) enum Text<'a> {
    /// The string (borrowed unless it had escapes).
    Str(Cow<'a, str>),
    /// Over [`crate::inspect::MAX_PASTE_BYTES`] as written: not read.
    TooLarge,
}

impl Text<'_> {
    /// The string, or `None` when it was too large to read.
    pub(super) fn get(&self) -> Option<&str> {
        match self {
            Text::Str(s) => Some(s),
            Text::TooLarge => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor(PhantomData))
    }
}

struct TextVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
    type Value = Text<'a>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
        Ok(Text::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
        Ok(Text::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'a>, E> {
        Ok(Text::Str(Cow::Owned(v)))
    }
    /// The stand-in `{"\u0000":0}`; any other object is the wrong type.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text<'a>, A::Error> {
        if map.next_key::<Cow<'_, str>>()?.as_deref() == Some("\0") {
            map.next_value::<IgnoredAny>()?;
            if map.next_key::<IgnoredAny>()?.is_none() {
                return Ok(Text::TooLarge);
            }
        }
        Err(de::Error::invalid_type(Unexpected::Map, &self))
    }
}
