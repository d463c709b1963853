namespace Orlog.Benchmarks;

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Summary(IReadOnlyList<double> values, string format = "F0") =>
        $"{Median(values).ToString(format, System.Globalization.CultureInfo.InvariantCulture)} (min {values.Min().ToString(format, System.Globalization.CultureInfo.InvariantCulture)}, max {values.Max().ToString(format, System.Globalization.CultureInfo.InvariantCulture)})";
}
