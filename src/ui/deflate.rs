//! The link's text deflated and inflated by the browser (CompressionStream and
//! DecompressionStream, "deflate-raw": RFC 1951, the format src/page/url_state.rs puts in
//! `z=`), not by a deflate library compiled into the wasm: miniz_oxide was 14.9 KiB of
//! the gzip transfer, this glue takes 3.8 KiB of it back (issue 12). Links made by
//! miniz_oxide before open the same: it is one format.

use js_sys::{Array, Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair};

/// A `CompressionStream` or `DecompressionStream` for raw deflate, looked up by name (web-sys
/// has them only behind its unstable-APIs flag); None where the browser has none. Each is a
/// {readable, writable} pair itself, which is what `pipeThrough` takes.
fn transform(class: &str) -> Option<ReadableWritablePair> {
    let ctor: Function = Reflect::get(&js_sys::global(), &JsValue::from_str(class)).ok()?.dyn_into().ok()?;
    Some(Reflect::construct(&ctor, &Array::of1(&JsValue::from_str("deflate-raw"))).ok()?.unchecked_into())
}

/// `bytes` through a transform stream, read back; None on an error or past `cap` bytes
/// (then the stream is cancelled, so a hostile link stops costing memory there).
async fn through(bytes: &[u8], pair: &ReadableWritablePair, cap: usize) -> Option<Vec<u8>> {
    let blob = Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes))).ok()?;
    let out: ReadableStream = blob.stream().pipe_through(pair);
    let reader: ReadableStreamDefaultReader = out.get_reader().unchecked_into();
    let mut got = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.ok()?;
        if Reflect::get(&chunk, &JsValue::from_str("done")).ok()?.is_truthy() {
            return Some(got);
        }
        let part = Uint8Array::new(&Reflect::get(&chunk, &JsValue::from_str("value")).ok()?);
        if got.len() + part.length() as usize > cap {
            let _ = reader.cancel();
            return None;
        }
        got.extend(part.to_vec());
    }
}

/// `text` as raw deflate; None when the browser has no CompressionStream (before 2023).
pub async fn deflate(text: &str) -> Option<Vec<u8>> {
    through(text.as_bytes(), &transform("CompressionStream")?, usize::MAX).await
}

/// Raw deflate back to text: None when it is not deflate, not UTF-8, longer than `cap`
/// bytes, or the browser has no DecompressionStream.
pub async fn inflate(z: &[u8], cap: usize) -> Option<String> {
    String::from_utf8(through(z, &transform("DecompressionStream")?, cap).await?).ok()
}
