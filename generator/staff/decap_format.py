"""How the web editor writes a file: keys in the schema's order, long lines unfolded, blanks left out.

Decap CMS 3.16's own YAML writer (measured, issue #14) orders only a file's top-level
keys; inside a list item it keeps whatever order its form state has (an edited pledge
came out with its keys reversed, a new one with ``form`` first), folds text longer than
80 characters, and writes ``key: ""`` for a field the clerk cleared. A one-number change
gave a 35–70-line diff. So each collection uses our own format, ``gongshi-yml``
(``CMS.registerCustomFormat``), built on js-yaml (fetched from npm with Decap): it reads
and writes with the YAML 1.2 core schema, as :mod:`generator.load` does, puts every
mapping's keys in the order of :mod:`generator.schema` (unknown keys after, as they
were), never folds lines, and leaves out a value that is ``""`` or ``null`` (an emptied
optional field is an absent one; a required one cannot be saved empty). It writes the
house style the command-line tools write (:mod:`generator.staff.yamlio`): ids, references
and numbers kept as text in single quotes, lists indented under their key, multi-line text
as a ``|`` block; js-yaml only writes each single value. So a file the tools wrote comes
back with only the clerk's change. Comments are still lost: Decap hands a format only the
values.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel

from ..schema import UNIT_FILES
from .decap_fields import _split
from .yamlio import QUOTED_KEYS

NAME = "gongshi-yml"
QUOTED = sorted(QUOTED_KEYS | {"red_flags"})  # list items take their list's key


def _model(annotation: Any) -> type[BaseModel] | None:
    bare, _, _ = _split(annotation)
    if typing.get_origin(bare) is list:
        bare, _, _ = _split(typing.get_args(bare)[0])
    return bare if isinstance(bare, type) and issubclass(bare, BaseModel) else None


def key_order() -> dict[str, list[str]]:
    """Path (``pledges.*.timeline.*``; ``""`` for a file's top) → its keys in schema order."""
    order: dict[str, list[str]] = {"": []}

    def walk(model: type[BaseModel], path: str) -> None:
        order.setdefault(path, []).extend(k for k in model.model_fields if k not in order.get(path, []))
        for key, info in model.model_fields.items():
            inner = _model(info.annotation)
            if inner is not None:
                many = typing.get_origin(_split(info.annotation)[0]) is list
                walk(inner, f"{path}.{key}.*" if many and path else f"{key}.*" if many else
                     f"{path}.{key}" if path else key)

    for model in UNIT_FILES.values():
        walk(model, "")
    return order


def script() -> bytes:
    """admin/format.js: registers the format; loaded after decap-cms.js and js-yaml.min.js."""
    order = json.dumps(key_order(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    quoted = json.dumps(dict.fromkeys(QUOTED, True), separators=(",", ":"))
    return (_JS.replace("@ORDER@", order).replace("@QUOTED@", quoted).replace("@NAME@", NAME)).encode()


_JS = r"""// 网页编辑器保存文件的格式：键按内容结构的顺序，与命令行工具相同的写法，空值不写。由 python build.py site 生成，请勿手工修改。
(function () {
  "use strict";
  var ORDER = @ORDER@;
  var QUOTED = @QUOTED@;
  var OPTIONS = { schema: jsyaml.CORE_SCHEMA, lineWidth: -1, noRefs: true, quotingType: "'" };
  function blank(value) { return value === "" || value === null || value === undefined; }
  function isMap(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
  function ordered(value, path, top) {
    if (Array.isArray(value)) {
      return value.map(function (item) { return ordered(item, path + ".*"); });
    }
    if (!isMap(value)) return value;
    var keys = (top || ORDER[path] || []).filter(function (k) { return Object.prototype.hasOwnProperty.call(value, k); });
    Object.keys(value).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
    var out = {};
    keys.forEach(function (k) {
      if (!blank(value[k])) out[k] = ordered(value[k], path ? path + "." + k : k);
    });
    return out;
  }
  function one(value) { return jsyaml.dump(value, OPTIONS).replace(/\n$/, ""); }
  function scalar(value, key, indent) {
    if (typeof value === "string" && value.indexOf("\n") >= 0) {
      var body = value.replace(/\n$/, "");
      if (/^\s/.test(body) || /\n$/.test(body)) return JSON.stringify(value);
      var pad = new Array(indent + 3).join(" ");
      var lines = body.split("\n").map(function (line) { return line ? pad + line : ""; });
      return (body === value ? "|-" : "|") + "\n" + lines.join("\n");
    }
    if (typeof value === "string" && QUOTED[key]) return "'" + value.replace(/'/g, "''") + "'";
    return one(value);
  }
  function mapping(map, indent) {
    var pad = new Array(indent + 1).join(" "), lines = [];
    Object.keys(map).forEach(function (k) {
      var value = map[k], head = pad + one(k) + ":";
      if (Array.isArray(value) && value.length) {
        lines.push(head);
        lines.push.apply(lines, sequence(value, indent + 2, k));
      } else if (isMap(value) && Object.keys(value).length) {
        lines.push(head);
        lines.push.apply(lines, mapping(value, indent + 2));
      } else {
        lines.push(head + " " + (Array.isArray(value) ? "[]" : isMap(value) ? "{}" : scalar(value, k, indent)));
      }
    });
    return lines;
  }
  function sequence(list, indent, key) {
    var pad = new Array(indent + 1).join(" "), lines = [];
    list.forEach(function (item) {
      if (isMap(item) && Object.keys(item).length) {
        var inner = mapping(item, indent + 2);
        inner[0] = pad + "- " + inner[0].slice(indent + 2);
        lines.push.apply(lines, inner);
      } else if (Array.isArray(item) || isMap(item)) {
        lines.push(pad + "- " + JSON.stringify(item));
      } else {
        lines.push(pad + "- " + scalar(item, key, indent));
      }
    });
    return lines;
  }
  CMS.registerCustomFormat("@NAME@", "yml", {
    fromFile: function (text) { return jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) || {}; },
    toFile: function (data, sortedKeys) {
      var lines = mapping(ordered(data, "", sortedKeys), 0);
      return lines.length ? lines.join("\n") + "\n" : "{}\n";
    }
  });
})();
"""
