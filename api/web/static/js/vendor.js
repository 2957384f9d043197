// Browser libraries from the npm registry, served locally at /static/vendor (never a CDN): loaded on first use,
// once per page; a missing one rejects, and the page says how to install it.

const loading = new Map();

/** Load /static/vendor/<file> once and resolve with window[<global>]. */
export function loadVendor(file, global) {
  if (window[global]) return Promise.resolve(window[global]);
  if (!loading.has(file)) {
    loading.set(file, new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = `/static/vendor/${file}`;
      s.onload = () => (window[global] ? resolve(window[global]) : reject(new Error(`${global} did not load`)));
      s.onerror = () => { loading.delete(file); reject(new Error(`${s.src} missing`)); };
      document.head.append(s);
    }));
  }
  return loading.get(file);
}
