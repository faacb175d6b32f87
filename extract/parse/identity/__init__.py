"""Who published which disclosure, for which year and of which kind: read from the
document's structure (its title, labels, cover, headings and the statement that says what
it discloses), never from a portal's labels, tags, breadcrumbs or a body sentence.

- :mod:`.lines`: the lines a title can be read from, with portal furniture removed
  (标题：, 【财政预算】, breadcrumbs, 发布时间/来源/索引号 lines);
- :mod:`.names`: whether a phrase is an organisation's name, and its level and type;
- :mod:`.statements`: the subject, year and kind a document's own sentences state
  ("现将某某镇2020年度“三公”经费决算情况公布如下");
- :mod:`.classify`: what the document is, from positive evidence, or why it is held.
"""
