//! Front-end assets, embedded in the binary at build time from the npm
//! packages (`make assets` installs them) and from this crate's assets/.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/node_modules/@gouvfr/dsfr/dist/"]
#[include = "dsfr.min.css"]
#[include = "dsfr.module.min.js"]
#[include = "fonts/*.woff2"]
#[include = "favicon/*"]
#[include = "utility/icons/icons.min.css"]
#[include = "icons/**/*.svg"]
struct Dsfr;

#[derive(RustEmbed)]
#[folder = "../../web/node_modules/htmx.org/dist/"]
#[include = "htmx.min.js"]
struct Htmx;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Own;

fn lookup(path: &str) -> Option<rust_embed::EmbeddedFile> {
    if let Some(rest) = path.strip_prefix("dsfr/") {
        Dsfr::get(rest)
    } else if path == "htmx.min.js" {
        Htmx::get(path)
    } else {
        Own::get(path)
    }
}

pub async fn serve(Path(path): Path<String>) -> Response {
    match lookup(&path) {
        Some(file) => (
            [
                (header::CONTENT_TYPE, file.metadata.mimetype().to_owned()),
                (header::CACHE_CONTROL, "public, max-age=86400".to_owned()),
            ],
            file.data,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
