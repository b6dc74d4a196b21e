// The language switch on every page: the English edition is built into
// book/book/html, the Chinese one into book/book/zh-CN/html (see book.toml), so
// the same page of the other edition is one path segment away.
(function () {
    "use strict";
    const zh = document.documentElement.lang.startsWith("zh");
    const path = window.location.pathname;
    let other;
    if (zh) {
        other = path.replace(/\/zh-CN\/html\//, "/html/");
    } else {
        const at = path.lastIndexOf("/html/");
        if (at < 0) {
            return;
        }
        other = path.slice(0, at) + "/zh-CN/html/" + path.slice(at + "/html/".length);
    }
    if (other === path) {
        return;
    }
    const link = document.createElement("a");
    link.href = other + window.location.search + window.location.hash;
    link.textContent = zh ? "English" : "中文";
    link.title = zh ? "Read this page in English" : "阅读本页的简体中文版";
    link.lang = zh ? "en" : "zh-CN";
    link.className = "workbook-language";
    link.setAttribute("aria-label", link.title);
    const buttons = document.querySelector(".right-buttons");
    if (buttons) {
        buttons.prepend(link);
    }
})();
