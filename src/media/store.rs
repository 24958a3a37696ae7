//! Where uploaded files are kept: a folder, or any S3-compatible store so
//! several app servers share them. Part of the application state, so it
//! imports nothing above the foundation.

use std::sync::Arc;

use object_store::ObjectStore;
use object_store::path::Path as StorePath;

/// Where media live.
#[derive(Debug, Clone)]
pub enum MediaConfig {
    /// A folder (created if missing).
    Folder(std::path::PathBuf),
    /// An S3-compatible bucket; credentials from `keys` (access key id, secret)
    /// or else the usual AWS_* variables.
    S3 { bucket: String, endpoint: Option<String>, region: String, keys: Option<(String, String)> },
}

#[derive(Clone)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
}

impl MediaStore {
    pub fn new(config: &MediaConfig) -> anyhow::Result<Self> {
        let store: Arc<dyn ObjectStore> = match config {
            MediaConfig::Folder(dir) => {
                std::fs::create_dir_all(dir)?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)
            }
            MediaConfig::S3 { bucket, endpoint, region, keys } => {
                let mut b = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).with_region(region);
                if let Some((id, secret)) = keys {
                    b = b.with_access_key_id(id).with_secret_access_key(secret);
                }
                if let Some(e) = endpoint {
                    // MinIO and other S3-compatibles: path-style URLs, http allowed for a local endpoint.
                    b = b
                        .with_endpoint(e)
                        .with_virtual_hosted_style_request(false)
                        .with_allow_http(e.starts_with("http://"));
                }
                Arc::new(b.build()?)
            }
        };
        Ok(Self { store })
    }

    /// A store that forgets on restart (for tools and tests that upload nothing).
    pub fn in_memory() -> Self {
        Self { store: Arc::new(object_store::memory::InMemory::new()) }
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> object_store::Result<()> {
        self.store.put(&StorePath::from(key), bytes.into()).await.map(drop)
    }

    pub async fn get(&self, key: &str) -> object_store::Result<bytes::Bytes> {
        self.store.get(&StorePath::from(key)).await?.bytes().await
    }
}
