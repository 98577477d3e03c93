//! A thin TAXII 2.1 layer over the `taxii-client` crate, shaped like
//! `taxii2client.v21` (Server → ApiRoot → Collection, paged `get_objects`).
//! Every network call runs with the GIL released.

use std::sync::Mutex;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde_json::Value;
use taxii_client::{ApiRoot, Client, Collection, Filter, Object, Pages, VersionMatch};

use crate::convert::to_py;
use crate::errors::detached;

fn taxii_error(py: Python<'_>, err: &taxii_client::Error) -> PyErr {
    let detail = serde_json::to_value(err).unwrap_or(Value::Null);
    let build = || -> PyResult<PyErr> {
        let cls = py.import("libstix._errors")?.getattr("TaxiiError")?;
        let exc = cls.call1((err.to_string(), to_py(py, &detail)?))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

fn build_client(
    url: &str,
    user: Option<String>,
    password: Option<String>,
    token: Option<String>,
) -> PyResult<Client> {
    let mut b = Client::builder(url);
    match (user, password, token) {
        (Some(u), Some(p), None) => b = b.basic_auth(u, p),
        (None, None, Some(t)) => b = b.bearer_token(t),
        (None, None, None) => {}
        _ => {
            return Err(PyValueError::new_err(
                "give user and password, or token, or neither",
            ))
        }
    }
    b.build()
        .map_err(|e| PyValueError::new_err(format!("bad TAXII client settings: {e}")))
}

/// A TAXII server, found through its discovery URL.
#[pyclass(module = "libstix._native", name = "TaxiiServer", frozen)]
pub struct PyServer {
    client: Client,
}

#[pymethods]
impl PyServer {
    #[new]
    #[pyo3(signature = (url, user = None, password = None, *, token = None))]
    fn new(
        url: &str,
        user: Option<String>,
        password: Option<String>,
        token: Option<String>,
    ) -> PyResult<Self> {
        Ok(PyServer {
            client: build_client(url, user, password, token)?,
        })
    }

    /// The discovery resource as a dict (`title`, `default`, `api_roots`…).
    fn discovery<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = detached(py, "reading TAXII discovery", || self.client.discover())?
            .map_err(|e| taxii_error(py, &e))?;
        to_py(py, &serde_json::to_value(&d).unwrap_or(Value::Null))
    }

    /// Every API root the server lists.
    fn api_roots(&self, py: Python<'_>) -> PyResult<Vec<PyApiRoot>> {
        let roots = detached(py, "listing TAXII API roots", || self.client.api_roots())?
            .map_err(|e| taxii_error(py, &e))?;
        Ok(roots.into_iter().map(|root| PyApiRoot { root }).collect())
    }

    /// The server's default API root (error when it names none).
    fn default_api_root(&self, py: Python<'_>) -> PyResult<PyApiRoot> {
        let root = detached(py, "finding the default API root", || {
            self.client.default_api_root()
        })?
        .map_err(|e| taxii_error(py, &e))?;
        Ok(PyApiRoot { root })
    }

    /// The API root at `url`.
    fn api_root(&self, py: Python<'_>, url: &str) -> PyResult<PyApiRoot> {
        let root = detached(py, "opening an API root", || self.client.api_root(url))?
            .map_err(|e| taxii_error(py, &e))?;
        Ok(PyApiRoot { root })
    }
}

/// One API root.
#[pyclass(module = "libstix._native", name = "TaxiiApiRoot", frozen)]
pub struct PyApiRoot {
    root: ApiRoot,
}

#[pymethods]
impl PyApiRoot {
    /// The API root's URL.
    #[getter]
    fn url(&self) -> String {
        self.root.url()
    }

    /// The API root information as a dict (`title`, `versions`,
    /// `max_content_length`…).
    fn information<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let i = detached(py, "reading API root information", || {
            self.root.information()
        })?
        .map_err(|e| taxii_error(py, &e))?;
        to_py(py, &serde_json::to_value(&i).unwrap_or(Value::Null))
    }

    /// Every collection, as `(collection, information dict)` pairs.
    fn collections<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let infos = detached(py, "listing collections", || self.root.collections())?
            .map_err(|e| taxii_error(py, &e))?;
        let list = PyList::empty(py);
        for info in infos {
            let coll = detached(py, "opening a collection", || {
                self.root.collection(&info.id)
            })?
            .map_err(|e| taxii_error(py, &e))?;
            let d = to_py(py, &serde_json::to_value(&info).unwrap_or(Value::Null))?;
            list.append((PyCollection { coll }, d))?;
        }
        Ok(list)
    }

    /// The collection with this id.
    fn collection(&self, py: Python<'_>, id: &str) -> PyResult<PyCollection> {
        let coll = detached(py, "opening a collection", || self.root.collection(id))?
            .map_err(|e| taxii_error(py, &e))?;
        Ok(PyCollection { coll })
    }
}

/// One collection.
#[pyclass(module = "libstix._native", name = "TaxiiCollection", frozen)]
pub struct PyCollection {
    coll: Collection,
}

#[allow(clippy::too_many_arguments)]
fn make_filter(
    limit: Option<u32>,
    added_after: Option<&str>,
    ids: Vec<String>,
    types: Vec<String>,
    version: Option<&str>,
    spec_versions: Vec<String>,
) -> PyResult<Filter> {
    let mut f = Filter::new()
        .ids(ids)
        .types(types)
        .spec_versions(spec_versions);
    if let Some(n) = limit {
        f = f.limit(n);
    }
    if let Some(t) = added_after {
        let ts = taxii_client::Timestamp::parse(t)
            .map_err(|e| PyValueError::new_err(format!("added_after: {e}")))?;
        f = f.added_after(ts);
    }
    if let Some(v) = version {
        for part in v.split(',') {
            f = f.version(VersionMatch::parse(part.trim()));
        }
    }
    Ok(f)
}

#[pymethods]
impl PyCollection {
    /// The collection's id.
    #[getter]
    fn id(&self) -> &str {
        self.coll.id()
    }

    /// The collection's URL.
    #[getter]
    fn url(&self) -> String {
        self.coll.url()
    }

    /// The collection information as a dict.
    fn information<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let i = detached(py, "reading collection information", || {
            self.coll.information()
        })?
        .map_err(|e| taxii_error(py, &e))?;
        to_py(py, &serde_json::to_value(&i).unwrap_or(Value::Null))
    }

    /// The pages of `GET …/objects/` for this filter (each one request,
    /// `next` followed, nothing lost or replayed).
    #[pyo3(signature = (*, limit = None, added_after = None, ids = Vec::new(), types = Vec::new(), version = None, spec_versions = Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn pages(
        &self,
        py: Python<'_>,
        limit: Option<u32>,
        added_after: Option<&str>,
        ids: Vec<String>,
        types: Vec<String>,
        version: Option<&str>,
        spec_versions: Vec<String>,
    ) -> PyResult<PyPages> {
        let filter = make_filter(limit, added_after, ids, types, version, spec_versions)?;
        let pages = detached(py, "starting a TAXII query", || self.coll.objects(&filter))?
            .map_err(|e| taxii_error(py, &e))?;
        Ok(PyPages {
            pages: Mutex::new(pages),
        })
    }
}

/// Iterator of pages: each is `(more, next, [object JSON text, ...])`.
#[pyclass(module = "libstix._native", name = "TaxiiPages", frozen)]
pub struct PyPages {
    pages: Mutex<Pages<Object>>,
}

type RawPage = (bool, Option<String>, Vec<String>);

#[pymethods]
impl PyPages {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<RawPage>> {
        let step = detached(py, "fetching a TAXII page", || {
            let mut pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
            pages.next()
        })?;
        match step {
            None => Ok(None),
            Some(Err(e)) => Err(taxii_error(py, &e)),
            Some(Ok(page)) => Ok(Some((
                page.more,
                page.next,
                page.items.iter().map(|o| o.json().to_owned()).collect(),
            ))),
        }
    }

    /// Pages received so far.
    #[getter]
    fn pages_received(&self) -> PyResult<u64> {
        self.pages
            .lock()
            .map(|p| p.pages_received())
            .map_err(|_| PyRuntimeError::new_err("pages iterator poisoned"))
    }
}
