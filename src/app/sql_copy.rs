//! "Copy as SQL" (issue 21 §1) in Decode and Mint: the statements `supajwt sql` prints for a
//! token (PostgREST's `set_config` sequence for its claims, decoded, not verified), copied to
//! paste into psql or Studio's SQL editor. The text holds the claims, not the token: public.

use super::shared::Ctx;
use super::vocab::Action;
use crate::jose::classified::Classified;
use crate::supabase::rls::sql::{Request, Wrapper, script, settings};
use egui::Ui;
use serde_json::{Map, Value};

/// The script for a payload, or why there is none.
pub fn sql_for(claims: Option<&Map<String, Value>>) -> Result<String, String> {
    let claims = claims.ok_or("the payload is not a JSON object of claims")?;
    let settings = settings(claims, &Request::default()).map_err(|e| e.to_string())?;
    script(&settings, None, Wrapper::Transaction).map_err(|e| e.to_string())
}

/// A "Copy as SQL" button; `claims` is read only when it is clicked.
pub fn copy_as_sql_ui<'a>(
    ui: &mut Ui,
    ctx: &mut Ctx<'_>,
    claims: impl FnOnce() -> Option<std::borrow::Cow<'a, Map<String, Value>>>,
) {
    let clicked = ui
        .button("Copy as SQL")
        .on_hover_text(
            "PostgREST's set_config statements for this token (decoded, not verified): paste into psql or Studio's SQL editor to see what Row Level Security lets it read",
        )
        .clicked();
    if clicked {
        match sql_for(claims().as_deref()) {
            Ok(text) => ctx.send(Action::Copy(Classified::Public(text))),
            Err(e) => ctx.send(Action::Say {
                text: format!("Copy as SQL: {e}"),
                is_error: true,
            }),
        }
    }
}
