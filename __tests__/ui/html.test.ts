import { escapeHtml, html, SafeHtml } from "../../ui/html";

describe("HTML escaping of the console", () => {
  it("escapes every character that could open markup or leave an attribute", () => {
    // GIVEN text with each special character
    const hostile = `<script>alert('x')</script> & "quoted" \`tick\``;

    // WHEN escaped
    const out = escapeHtml(hostile);

    // THEN none of them is left raw
    expect(out).toBe("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &#96;tick&#96;");
    expect(out).not.toMatch(/[<>"'`]/);
  });

  it("escapes interpolated values in the html template, in text and attributes alike", () => {
    // GIVEN a value that tries to break out of an attribute
    const name = `x" onmouseover="alert(1)`;

    // WHEN interpolated
    const out = html`<a title="${name}">${name}</a>`.text;

    // THEN it stays one attribute value and one text node
    expect(out).toBe(`<a title="x&quot; onmouseover=&quot;alert(1)">x&quot; onmouseover=&quot;alert(1)</a>`);
  });

  it("keeps fragments built with html as they are and escapes the values inside them once", () => {
    // GIVEN a nested fragment and a list of fragments
    const inner = html`<b>${"<i>"}</b>`;
    const items = ["<1>", "<2>"].map((t) => html`<li>${t}</li>`);

    // WHEN composed
    const out = html`<p>${inner}</p><ul>${items}</ul>`.text;

    // THEN the markup of the fragments is kept and their values escaped exactly once
    expect(out).toBe("<p><b>&lt;i&gt;</b></p><ul><li>&lt;1&gt;</li><li>&lt;2&gt;</li></ul>");
    expect(inner).toBeInstanceOf(SafeHtml);
  });

  it("renders nothing for undefined, null and false, and numbers as text", () => {
    expect(html`[${undefined}${null}${false}${0}${42}]`.text).toBe("[042]");
  });
});
