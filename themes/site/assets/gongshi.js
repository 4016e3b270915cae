/* gongshi: small enhancements; every page is complete without them. */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);

  /* A printed board's QR code carries ?v=<stamp>: say whether the board is current. */
  var stamp = document.querySelector(".g-stamp[data-stamps]");
  var printed = params.get("v");
  if (stamp && printed && /^[0-9a-f]{8}$/.test(printed)) {
    var result = stamp.querySelector(".g-stamp__result");
    var current = stamp.getAttribute("data-stamps").split(" ").indexOf(printed) >= 0;
    stamp.classList.add(current ? "g-stamp--current" : "g-stamp--stale");
    result.textContent = current
      ? "您手中的展板（版本 " + printed + "）是最新的。"
      : "您手中的展板（版本 " + printed + "）印制后内容已有更新，请以本页为准。";
  }

  /* Unit index: filter by name and kind. */
  var box = document.querySelector(".g-filter");
  if (box) {
    box.hidden = false;
    var text = box.querySelector("#unit-filter");
    var kind = box.querySelector("#kind-filter");
    var items = document.querySelectorAll("#unit-tree > li");
    var apply = function () {
      var q = text.value.trim();
      var k = kind.value;
      items.forEach(function (li) {
        var show = (!q || li.getAttribute("data-name").indexOf(q) >= 0) &&
          (!k || li.getAttribute("data-kind") === k);
        li.hidden = !show;
      });
    };
    text.addEventListener("input", apply);
    kind.addEventListener("change", apply);
  }

  /* Search page: Pagefind UI, in Chinese, reading ?q= from the home page form. */
  var search = document.getElementById("g-search");
  if (search && window.PagefindUI) {
    var ui = new window.PagefindUI({
      element: "#g-search", bundlePath: search.getAttribute("data-bundle"),
      showImages: false, resetStyles: false, translations: { placeholder: "搜索服务事项、单位或工作人员" }
    });
    var direct = exactNames(search);
    if (params.get("q")) { ui.triggerSearch(params.get("q")); direct(params.get("q")); }
    search.addEventListener("input", function (e) { if (e.target.matches("input")) { direct(e.target.value); } });
  }

  /* A whole member or service name goes straight to its page (search/names/, see generator/web/names.py),
     above Pagefind's results: Pagefind may have cut a Chinese name into other words. */
  function exactNames(box) {
    var names = box.getAttribute("data-names");
    var root = box.getAttribute("data-root").replace(/index\.html$/, "");
    var list = document.createElement("div");
    list.className = "g-direct";
    list.setAttribute("aria-live", "polite");
    var form = box.querySelector(".pagefind-ui__form");
    var drawer = form && form.querySelector(".pagefind-ui__drawer");
    if (drawer) { form.insertBefore(list, drawer); } else { box.insertBefore(list, box.firstChild); }
    var asked = "";
    return function (query) {
      var q = query.trim();
      asked = q;
      list.textContent = "";
      if (!q) { return; }
      fetch(names + q.codePointAt(0).toString(16) + ".json").then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          if (asked !== q) { return; }
          list.setAttribute("data-looked-up", q);
          var hits = rows.filter(function (row) { return row[0] === q; });
          if (!hits.length) { return; }
          var ul = document.createElement("ul");
          hits.forEach(function (row) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = root + row[2];
            a.className = "g-direct__link";
            a.textContent = row[0];
            var what = document.createElement("small");
            what.textContent = row[1];
            li.appendChild(a);
            li.appendChild(document.createTextNode(" "));
            li.appendChild(what);
            ul.appendChild(li);
          });
          var head = document.createElement("p");
          head.className = "g-direct__head";
          head.textContent = "名称完全相符：";
          list.appendChild(head);
          list.appendChild(ul);
        }).catch(function () { list.setAttribute("data-looked-up", q); });
    };
  }
})();

/* Wide tables: the hint "可左右滑动" (shown on narrow screens without JavaScript) stays only where a table overflows. */
(function () {
  "use strict";
  var mark = function () {
    document.querySelectorAll(".g-scroll").forEach(function (box) {
      box.toggleAttribute("data-fits", box.scrollWidth <= box.clientWidth + 1);
    });
  };
  mark();
  window.addEventListener("resize", mark);
})();

/* Large-type mode (适老化): the link becomes a switch; the choice is kept for the next pages. */
(function () {
  "use strict";
  var root = document.documentElement;
  document.querySelectorAll(".g-large-switch").forEach(function (link) {
    var show = function () {
      var on = root.hasAttribute("data-g-large");
      link.setAttribute("aria-pressed", on ? "true" : "false");
      link.textContent = on ? "大字模式：已开启" : "大字模式";
    };
    link.setAttribute("role", "button");
    show();
    link.addEventListener("click", function (e) {
      e.preventDefault();
      var on = !root.hasAttribute("data-g-large");
      root.toggleAttribute("data-g-large", on);
      try { localStorage.setItem("gongshi-large", on ? "1" : "0"); } catch (err) {}
      show();
    });
  });
})();
