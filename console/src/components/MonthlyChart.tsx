import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface MonthFigures {
  period: string;
  consumption: number;
  billing: number;
}

/** Monthly consumption against billing (uPlot), with the same figures as a table for screen readers. */
export function MonthlyChart({ months, title }: { months: MonthFigures[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || !months.length) return;
    const x = months.map((m) => Date.parse(`${m.period}-01T00:00:00Z`) / 1000);
    const figure = (_u: uPlot, v: number | null) => (v == null ? '—' : v.toFixed(2));
    const plot = new uPlot(
      {
        // the chart fills its box, and follows it when the window changes (the observer below)
        width: box.current.clientWidth || 640,
        height: 220,
        series: [
          { value: (_u, v) => (v == null ? '—' : new Date(v * 1000).toISOString().slice(0, 7)) },
          { label: 'Consumption', stroke: '#2563eb', width: 2, points: { show: true }, value: figure },
          { label: 'Billing', stroke: '#d97706', width: 2, dash: [6, 4], points: { show: true }, value: figure },
        ],
        // the legend shows the latest month's figures until the pointer picks another
        hooks: { ready: [(u) => u.setLegend({ idx: months.length - 1 })], setCursor: [(u) => u.cursor.idx == null && u.setLegend({ idx: months.length - 1 })] },
        axes: [{ splits: () => x, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(0, 7)) }, {}],
        scales: { x: { time: false } },
      },
      [x, months.map((m) => m.consumption), months.map((m) => m.billing)],
      box.current,
    );
    const element = box.current;
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth || 640, height: 220 }));
    resize.observe(element);
    return () => (resize.disconnect(), plot.destroy());
  }, [months]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} aria-hidden="true" />
      <table className="compact">
        <caption className="sr-only">{title}, by month</caption>
        <thead>
          <tr><th scope="col">Month</th><th scope="col" className="num">Consumption</th><th scope="col" className="num">Billing</th></tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.period}><td>{m.period}</td><td className="num">{m.consumption.toFixed(2)}</td><td className="num">{m.billing.toFixed(2)}</td></tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
