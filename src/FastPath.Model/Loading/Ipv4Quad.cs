namespace FastPath.Model.Loading;

/// <summary>
/// The dotted-quad IPv4 form <see cref="Net.IpText.TryParse"/> accepts (four 1–3 digit parts, no leading zero, each at
/// most 255), read without allocating: an endpoint's address is checked on this path, and only an address that fails
/// it or is special takes the general one, which splits the text and builds an <c>IPAddress</c> (five objects each).
/// </summary>
internal static class Ipv4Quad
{
    public static bool TryParse(string text, out byte b0, out byte b1, out byte b2, out byte b3)
    {
        b0 = b1 = b2 = b3 = 0;
        int pos = 0;
        return Part(text, ref pos, out b0) && Dot(text, ref pos) && Part(text, ref pos, out b1) && Dot(text, ref pos)
            && Part(text, ref pos, out b2) && Dot(text, ref pos) && Part(text, ref pos, out b3) && pos == text.Length;
    }

    /// <summary>
    /// True when the address is none that ValidateNonSpecialIP names (unspecified, loopback, link-local, link-local
    /// multicast): then it has no message at all.
    /// </summary>
    public static bool IsOrdinary(byte b0, byte b1, byte b2, byte b3) =>
        !(b0 == 0 && b1 == 0 && b2 == 0 && b3 == 0) && b0 != 127 && !(b0 == 169 && b1 == 254) && !(b0 == 224 && b1 == 0 && b2 == 0);

    private static bool Dot(string t, ref int pos)
    {
        if (pos >= t.Length || t[pos] != '.') return false;
        pos++;
        return true;
    }

    private static bool Part(string t, ref int pos, out byte value)
    {
        value = 0;
        int start = pos, v = 0;
        while (pos < t.Length && t[pos] >= '0' && t[pos] <= '9' && pos - start < 3) v = v * 10 + (t[pos++] - '0');
        int len = pos - start;
        // A fourth digit, a leading zero or a value past 255 is what the general parser refuses.
        if (len == 0 || (pos < t.Length && t[pos] >= '0' && t[pos] <= '9') || (len > 1 && t[start] == '0') || v > 255) return false;
        value = (byte)v;
        return true;
    }
}
