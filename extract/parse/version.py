"""The parser's version and the one outcome a later run retries, in a module that imports nothing.

A run compares every document's stored ``parser_version`` with :data:`PARSER_VERSION` before
anything is parsed (unchanged bytes read by this parser are skipped), so the comparison must not
import the parser itself: an unchanged night then costs the warehouse query, not the parser's import.
"""

PARSER_VERSION = "0.4.2"  # .2: a 教育部 unit's parent read (西南大学（Southwest University）是教育部直属), no local Party 宣传部 taken for a ministry, 某局贯彻落实… names a body; .1 (issue 16): 收支总表 rows no vocabulary word names kept as unmapped_*, 预算拨款/结转结余下年, 年终结转结余资金, 上级补助/附属单位上缴 in the narrative, a gap naming another cost, a part stated for one fund (一般公共预算/财政拨款) or the 本级 marked with that scope, project lists grouped by unit, 重点项目 lists' 合计, a list's title repeated per page; 0.4: identity from evidence (look-alikes kept out, held documents, the figure that is a field's own); 0.3: project tables in every layout, assets, seen-only pages, document types; .1: a code printed for two names keeps both lines; .2: copies of a table printed side by side (决算 基本支出表) read one by one

NO_FISCAL_YEAR = "budget figures found but no fiscal year"  # quarantined so; retried by every later run
