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
    const plot = new uPlot(
      {
        width: Math.min(box.current.clientWidth || 640, 900),
        height: 220,
        series: [{}, { label: 'Consumption', stroke: '#2563eb', width: 2, points: { show: true } }, { label: 'Billing', stroke: '#d97706', width: 2, dash: [6, 4], points: { show: true } }],
        axes: [{ splits: () => x, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(0, 7)) }, {}],
        scales: { x: { time: false } },
      },
      [x, months.map((m) => m.consumption), months.map((m) => m.billing)],
      box.current,
    );
    return () => plot.destroy();
  }, [months]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} aria-hidden="true" />
      <table className="compact">
        <caption className="sr-only">{title}, by month</caption>
        <thead>
          <tr><th scope="col">Month</th><th scope="col">Consumption</th><th scope="col">Billing</th></tr>
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
