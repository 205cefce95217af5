using System.Globalization;

namespace FastPath.Model.Loading;

/// <summary>The API server's <c>--service-node-port-range</c>: <c>FIRST-LAST</c> or <c>FIRST+SIZE</c> (utilnet.ParsePortRange).</summary>
internal sealed record PortRange(int First, int Last)
{
    public static readonly PortRange DefaultNodePorts = new(LoadOptions.NodePortMin, LoadOptions.NodePortMax);

    public int Size => Last - First + 1;
    public bool Contains(int port) => port >= First && port <= Last;
    public override string ToString() => First.ToString(CultureInfo.InvariantCulture) + "-" + Last.ToString(CultureInfo.InvariantCulture);

    public static PortRange? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text!.Trim();
        int plus = text.IndexOf('+'), dash = text.IndexOf('-');
        int sep = plus >= 0 ? plus : dash;
        if (sep <= 0 || !Int(text.Substring(0, sep), out int first) || !Int(text.Substring(sep + 1), out int second)) return null;
        int last = plus >= 0 ? first + second - 1 : second;
        if (first < 1 || last > 65535 || last < first) return null;
        return new PortRange(first, last);
    }

    private static bool Int(string s, out int v) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
}
