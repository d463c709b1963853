using ScottPlot;

namespace Orlog.Benchmarks.Compare;

/// <summary>The chart beside the section: W1 produce and consume, records/s (median over the rounds), one pair of bars per system.</summary>
internal static class CompareChart
{
    public static void Write(string path, CompareResults results, CompareOptions options)
    {
        var plot = new Plot();
        var produce = Colors.SteelBlue;
        var consume = Colors.DarkOrange;
        var peers = results.Peers.Where(p => p.Error is null).ToArray();
        var ticks = new List<Tick>();
        for (var i = 0; i < peers.Length; i++)
        {
            var center = i * 3.0;
            foreach (var (key, offset, color) in new[] { ("W1 produce", -0.5, produce), ("W1 consume", 0.5, consume) })
            {
                if (peers[i].MedianRecordsPerSecond(key) is { } value)
                {
                    plot.Add.Bar(new Bar { Position = center + offset, Value = value, FillColor = color, Size = 0.9, Label = $"{value / 1e3:N0} k" });
                }
            }
            ticks.Add(new Tick(center, peers[i].Name.Replace(", ", "\n", StringComparison.Ordinal)));
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.2);
        plot.Title($"W1: {options.W1.TotalRecords:N0} records of {options.W1.RecordBytes} B, one partition{(options.Quick ? " (quick run: not a result)" : "")}");
        plot.YLabel("records/s (median)");
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "produce", FillColor = produce });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "consume", FillColor = consume });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.SavePng(path, Math.Max(800, 160 * peers.Length), 500);
    }
}
