/**
 * The one place the app touches ECharts: registers only the parts the screens use (so the
 * bundle stays small) and offers a Svelte action that creates, updates, resizes and disposes
 * a chart. The SVG renderer keeps chart text crisp, printable and inspectable. Charts are
 * wrapped in an element with role="img" and a label, next to a table with the same numbers,
 * so ECharts' own aria layer stays off.
 */
import { GaugeChart, LineChart, CustomChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { Action } from 'svelte/action';

echarts.use([
  GaugeChart,
  LineChart,
  CustomChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export { CHART_COLORS, indexColor } from './palette';

/** `use:chart={option}`: renders `option`, re-renders when it changes, follows the size. */
export const chart: Action<HTMLElement, ChartOption> = (node, option) => {
  const instance = echarts.init(node, undefined, { renderer: 'svg' });
  instance.setOption(option);
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(node);
  return {
    update(next) {
      instance.setOption(next, { notMerge: true });
    },
    destroy() {
      observer.disconnect();
      instance.dispose();
    },
  };
};
