// Requests to the app's own server (same-origin cookies), shared by every page's script.

// The body of GET url as text; throws "HTTP <status>" when the answer is not 2xx.
export async function fetchText(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

// The body of GET url as JSON; throws "HTTP <status>" when the answer is not 2xx.
export async function fetchJSON(url) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute('content') : '';
}

// POST body as JSON with the page's CSRF token: {status, ok, data} (data null when not JSON).
export async function postJSON(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json',
      'Accept': 'application/json',
      'X-CSRFToken': csrfToken()
    },
    body: JSON.stringify(body)
  });
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    data = null;
  }
  return { status: response.status, ok: response.ok, data };
}

// A readable message from a failed postJSON answer ({error}, {message} or {errors}).
export function messageOf(response, fallback) {
  const data = response.data || {};
  const detail = data.error || data.message || (data.errors && JSON.stringify(data.errors));
  return `${fallback} (HTTP ${response.status})${detail ? ': ' + detail : ''}`;
}
