using System;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// Names in DNS wire form on the plugins' paths: read out of a message (pointers followed), compared, lower-cased,
/// and turned to and from dotted text, all into caller-provided spans.
/// </summary>
internal static class WireNames
{
    /// <summary>The longest name on the wire, with its final zero.</summary>
    public const int MaxLength = 255;
    /// <summary>The longest dotted name: 253 characters and the final dot.</summary>
    public const int MaxDotted = 254;

    /// <summary>
    /// Copies the (possibly compressed) name at <paramref name="offset"/> in <paramref name="msg"/> into
    /// <paramref name="into"/> uncompressed and advances past it. Returns its length, or -1 when it is malformed
    /// (pointers must point backwards, as the wire reader requires).
    /// </summary>
    public static int Read(ReadOnlySpan<byte> msg, ref int offset, Span<byte> into)
    {
        int p = offset, w = 0;
        bool jumped = false;
        while (true)
        {
            if (p >= msg.Length) return -1;
            int len = msg[p];
            if ((len & 0xC0) == 0xC0)
            {
                if (p + 1 >= msg.Length) return -1;
                int target = ((len & 0x3F) << 8) | msg[p + 1];
                if (target >= p) return -1;
                if (!jumped) offset = p + 2;
                jumped = true;
                p = target;
                continue;
            }
            if (len > 63 || p + 1 + len > msg.Length || w + len + 2 > MaxLength) return -1;
            into[w++] = (byte)len;
            if (len == 0)
            {
                if (!jumped) offset = p + 1;
                return w;
            }
            msg.Slice(p + 1, len).CopyTo(into.Slice(w));
            w += len;
            p += len + 1;
        }
    }

    /// <summary>Skips the (possibly compressed) name at <paramref name="offset"/>; false when it runs off the message.</summary>
    public static bool Skip(ReadOnlySpan<byte> msg, ref int offset)
    {
        int p = offset;
        while (p < msg.Length)
        {
            int len = msg[p];
            if ((len & 0xC0) == 0xC0) { offset = p + 2; return p + 2 <= msg.Length; }
            if (len == 0) { offset = p + 1; return true; }
            p += len + 1;
        }
        return false;
    }

    public static void ToLower(ReadOnlySpan<byte> from, Span<byte> into)
    {
        for (int i = 0; i < from.Length; i++) { byte b = from[i]; into[i] = b >= 'A' && b <= 'Z' ? (byte)(b | 0x20) : b; }
    }

    public static bool HasUpper(ReadOnlySpan<byte> s)
    {
        foreach (var b in s) if (b >= 'A' && b <= 'Z') return true;
        return false;
    }

    /// <summary>Whether the wire name ends with the wire zone at a label boundary (any case).</summary>
    public static bool IsSubdomain(ReadOnlySpan<byte> name, ReadOnlySpan<byte> zone)
    {
        if (zone.Length > name.Length) return false;
        int start = name.Length - zone.Length, p = 0;
        while (p < start) { int len = name[p]; if (len == 0) return false; p += len + 1; }
        return p == start && System.Text.Ascii.EqualsIgnoreCase(name.Slice(start), zone);
    }

    /// <summary>Whether the name lies in any of the zones; the root (the plugins' default zone) holds every name without a walk.</summary>
    public static bool InAny(ReadOnlySpan<byte> name, byte[][] zones)
    {
        foreach (var z in zones) if (z.Length == 1 || IsSubdomain(name, z)) return true;
        return false;
    }

    /// <summary>The wire name as dotted text with its final dot ("." for the root). Returns the length written.</summary>
    public static int ToDotted(ReadOnlySpan<byte> wire, Span<byte> into)
    {
        if (wire.Length <= 1) { into[0] = (byte)'.'; return 1; }
        int p = 0, w = 0;
        while (wire[p] != 0)
        {
            int len = wire[p];
            wire.Slice(p + 1, len).CopyTo(into.Slice(w));
            w += len;
            into[w++] = (byte)'.';
            p += len + 1;
        }
        return w;
    }

    /// <summary>
    /// Dotted text (final dot optional) as a wire name. Returns the length written, or -1 when it is not a name the
    /// wire can carry (an empty label, a label over 63 octets, over 255 octets in all).
    /// </summary>
    public static int FromDotted(ReadOnlySpan<byte> dotted, Span<byte> into)
    {
        if (dotted.Length == 1 && dotted[0] == '.') { into[0] = 0; return 1; }
        if (dotted.Length > 0 && dotted[dotted.Length - 1] == '.') dotted = dotted.Slice(0, dotted.Length - 1);
        if (dotted.Length == 0 || dotted.Length + 2 > MaxLength) return -1;
        int w = 0;
        while (true)
        {
            int dot = dotted.IndexOf((byte)'.');
            var label = dot < 0 ? dotted : dotted.Slice(0, dot);
            if (label.Length == 0 || label.Length > 63) return -1;
            into[w++] = (byte)label.Length;
            label.CopyTo(into.Slice(w));
            w += label.Length;
            if (dot < 0) break;
            dotted = dotted.Slice(dot + 1);
        }
        into[w++] = 0;
        return w;
    }

    /// <summary>The wire form of a fully qualified name known at build time.</summary>
    public static byte[] Of(string fqdn)
    {
        Span<byte> dotted = stackalloc byte[fqdn.Length];
        for (int i = 0; i < fqdn.Length; i++) dotted[i] = (byte)fqdn[i];
        Span<byte> wire = stackalloc byte[MaxLength + 2];
        int n = FromDotted(dotted, wire);
        return n < 0 ? throw new ArgumentException($"'{fqdn}' is not a DNS name", nameof(fqdn)) : wire.Slice(0, n).ToArray();
    }
}
