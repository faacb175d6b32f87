// The report's chart library: Apache ECharts, only what the report draws (bar and line charts on a
// grid, tooltips, mark lines, drawn as SVG). Rebuild with ./build.sh (npm, no network at run time).
import { use, init, getInstanceByDom } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, TooltipComponent, MarkLineComponent, SVGRenderer]);
window.echarts = { init, getInstanceByDom };
