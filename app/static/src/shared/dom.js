// Small DOM helpers shared by every page's script.

// A new element. Attributes: undefined, null and false are left out; className sets the class;
// a function under on<event> (onClick, onkeydown…) listens to that event; any other value that is
// not a string and names a property of the element sets the property (disabled: true, tabIndex: 0);
// the rest become attributes (true: the empty string). Children: nodes, strings and numbers (as
// text), arrays of them; undefined, null, false and '' are skipped.
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => {
    if (value === undefined || value === null || value === false) return;
    if (key === 'className') node.className = value;
    else if (typeof value === 'function' && /^on./i.test(key)) node.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  });
  append(node, children);
  return node;
}

function append(node, children) {
  children.forEach((child) => {
    if (child === undefined || child === null || child === false || child === '') return;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  });
}

// Removes every child of node (nothing when node is missing).
export function clear(node) {
  while (node && node.firstChild) node.removeChild(node.firstChild);
}
