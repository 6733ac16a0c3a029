use crate::AppState;
use crate::error::{AppError, safe_next};
use crate::i18n::Locale;
use crate::session::{LANG_COOKIE, RequestContext, cookie};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::Form;
use relais_store::access::users;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
}

/// Switches the interface language: a cookie for everyone, and the saved
/// preference of a signed-in user.
pub async fn switch(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Form(form): Form<LanguageForm>,
) -> Result<Response, AppError> {
    let locale = Locale::parse(&form.lang).unwrap_or(Locale::Fr);
    if let Some(user) = ctx.signed_in() {
        let mut tx = crate::handler::begin(&state, &ctx, user).await?;
        users::set_locale(&mut tx, user.principal.user_id(), locale.code()).await?;
        tx.commit().await?;
    }
    let jar = jar.add(cookie(&state, LANG_COOKIE, locale.code().to_owned()));
    Ok((jar, Redirect::to(safe_next(&form.next))).into_response())
}
