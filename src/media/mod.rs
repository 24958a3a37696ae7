//! Uploaded images: checked to be an image by its content (never its name),
//! size-limited, decoded with limits, resized to the sizes the storefront
//! shows, and kept in an object store: a folder under the data folder by
//! default, or any S3-compatible store (MinIO) so several app servers share
//! them. Served from `/media/...` with a year-long cache: keys are new ids, so
//! a file under a key never changes.

pub mod store;

use std::io::Cursor;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use image::{DynamicImage, ImageDecoder as _, ImageFormat, ImageReader, Limits};
use uuid::Uuid;

use crate::app::AppState;
use crate::error::AppError;

/// Largest image file accepted.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// Widths made of every image: the product page and the cards.
pub const SIZES: [u32; 2] = [960, 320];
const MAX_SIDE: u32 = 10_000;
const MIN_SIDE: u32 = 64;

#[derive(Debug, PartialEq, Eq)]
pub enum ImageError {
    TooBig,
    NotAnImage,
    TooSmall,
    TooLarge,
}

impl ImageError {
    pub fn message_key(&self) -> &'static str {
        match self {
            ImageError::TooBig => "image-too-big",
            ImageError::NotAnImage => "image-not-image",
            ImageError::TooSmall => "image-too-small",
            ImageError::TooLarge => "image-too-large",
        }
    }
}

/// An uploaded image, checked and resized.
pub struct Processed {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// (width, JPEG bytes) per size in `SIZES`.
    pub variants: Vec<(u32, Vec<u8>)>,
}

/// Checks and resizes an upload. CPU-bound: call it on a blocking thread.
pub fn process(bytes: &[u8]) -> Result<Processed, ImageError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooBig);
    }
    // The content decides, not the name or the declared type.
    let format = image::guess_format(bytes).map_err(|_| ImageError::NotAnImage)?;
    let content_type = match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
        ImageFormat::WebP => "image/webp",
        _ => return Err(ImageError::NotAnImage),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let refused = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => ImageError::TooLarge,
        _ => ImageError::NotAnImage,
    };
    let mut decoder = reader.into_decoder().map_err(refused)?;
    // A phone stores a photo as the sensor saw it and says in EXIF how to turn
    // it: turned here, or it shows sideways (the JPEGs we write carry no EXIF).
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(refused)?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(ImageError::TooSmall);
    }
    // JPEG has no transparency: flatten onto white.
    let rgb = DynamicImage::ImageRgb8(flatten(&img));
    let mut variants = Vec::new();
    for size in SIZES {
        let scaled = if width > size || height > size { rgb.thumbnail(size, size) } else { rgb.clone() };
        let mut out = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
        scaled.write_with_encoder(enc).map_err(|_| ImageError::NotAnImage)?;
        variants.push((size, out));
    }
    Ok(Processed { content_type, width, height, variants })
}

fn flatten(img: &DynamicImage) -> image::RgbImage {
    let rgba = img.to_rgba8();
    let mut out = image::RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(p[3]);
        for c in 0..3 {
            o[c] = ((u32::from(p[c]) * a + 255 * (255 - a)) / 255) as u8;
        }
    }
    out
}

/// The storage key of one size of one image.
pub fn key(tenant: Uuid, id: Uuid, size: u32) -> String {
    format!("{tenant}/{id}/{size}.jpg")
}

/// What a user-supplied file name is kept as, for display only: the last path
/// component, no control characters, at most 120 characters.
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    last.chars().filter(|c| !c.is_control()).take(120).collect::<String>().trim().to_owned()
}

/// `GET /media/{tenant}/{id}/{size}.jpg`: only under its own tenant's host,
/// and, until a live product shows it ([`Visibility`]), only to its vendor and
/// to staff who moderate products.
pub async fn serve(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    session: Option<axum::Extension<tower_sessions::Session>>,
    Path(rest): Path<String>,
) -> Response {
    // Only keys we make: uuid/uuid/size.jpg.
    let parts: Vec<&str> = rest.split('/').collect();
    let ids = match parts.as_slice() {
        [t, i, f] if SIZES.iter().any(|s| *f == format!("{s}.jpg")) => {
            t.parse::<Uuid>().ok().zip(i.parse::<Uuid>().ok())
        }
        _ => None,
    };
    let Some((tenant_id, media_id)) = ids else { return AppError::NotFound.into_response() };
    let tenant = match crate::web::context::resolve_tenant(&headers, &state).await {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    if tenant.id != tenant_id {
        return AppError::NotFound.into_response(); // another shop's image, under this shop's name
    }
    let visibility = match visibility(&state, tenant_id, media_id, session.map(|s| s.0)).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let cache = match visibility {
        Visibility::Public => "public, max-age=31536000, immutable",
        Visibility::Private => "private, no-store",
        Visibility::Hidden => return AppError::NotFound.into_response(),
    };
    match state.media.get(&rest).await {
        Ok(bytes) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
            res
        }
        Err(object_store::Error::NotFound { .. }) => AppError::NotFound.into_response(),
        Err(e) => AppError::Internal(format!("media: {e}")).into_response(),
    }
}

/// Who may see an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visibility {
    /// A live product shows it: anyone, cached for a year.
    Public,
    /// Waiting for moderation, and this visitor is its vendor or a moderator.
    Private,
    /// Waiting for moderation, or unknown: as if it did not exist.
    Hidden,
}

async fn visibility(
    state: &AppState,
    tenant: Uuid,
    id: Uuid,
    session: Option<tower_sessions::Session>,
) -> Result<Visibility, AppError> {
    use diesel::{BoolExpressionMethods as _, ExpressionMethods as _, JoinOnDsl as _, NullableExpressionMethods as _};
    use diesel::{OptionalExtension as _, QueryDsl as _};
    use diesel_async::RunQueryDsl as _;

    use crate::schema::{media, vendors};
    if state.published_media.get(&id).is_some() {
        return Ok(Visibility::Public);
    }
    let mut conn = state.db().await?;
    let row: Option<(bool, Option<Uuid>)> =
        crate::db::tenant_read(&mut conn, tenant, crate::db::Plans::Chosen, async |c| {
            let mut c = c;
            media::table
                .left_join(
                    vendors::table.on(vendors::id.nullable().eq(media::vendor_id).and(vendors::tenant_id.eq(tenant))),
                )
                .filter(media::tenant_id.eq(tenant))
                .filter(media::id.eq(id))
                .select((media::published_at.is_not_null(), vendors::user_id.nullable()))
                .first(&mut c)
                .await
                .optional()
        })
        .await?;
    drop(conn);
    let Some((published, owner)) = row else { return Ok(Visibility::Hidden) };
    if published {
        state.published_media.insert(id, ());
        return Ok(Visibility::Public);
    }
    let Some(session) = session else { return Ok(Visibility::Hidden) };
    let user = crate::accounts::current_user::current_user(state, &session, tenant).await?;
    let allowed = user.is_some_and(|u| Some(u.id) == owner || u.can(crate::rbac::PRODUCTS_MODERATE));
    Ok(if allowed { Visibility::Private } else { Visibility::Hidden })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 200]));
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn an_image_is_resized_to_each_size_as_jpeg() {
        let p = process(&png(1200, 600)).unwrap();
        assert_eq!((p.content_type, p.width, p.height), ("image/png", 1200, 600));
        let sizes: Vec<(u32, u32)> = p
            .variants
            .iter()
            .map(|(_, b)| {
                let d = image::load_from_memory_with_format(b, ImageFormat::Jpeg).unwrap();
                (d.width(), d.height())
            })
            .collect();
        assert_eq!(sizes, vec![(960, 480), (320, 160)]);
    }

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(process(b"<?php echo 'hi'; ?>").err(), Some(ImageError::NotAnImage));
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend_from_slice(&[0; 64]);
        assert_eq!(process(&fake).err(), Some(ImageError::NotAnImage));
        assert_eq!(process(&png(20, 20)).err(), Some(ImageError::TooSmall));
        assert_eq!(process(&vec![0xFF; MAX_IMAGE_BYTES + 1]).err(), Some(ImageError::TooBig));
    }

    #[test]
    fn names_are_never_trusted() {
        assert_eq!(display_name("../../etc/passwd.jpg"), "passwd.jpg");
        assert_eq!(display_name("C:\\Users\\x\\photo.png"), "photo.png");
        assert_eq!(display_name("a\u{0}b\nc.jpg"), "abc.jpg");
    }
}
