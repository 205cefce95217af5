using System;
using System.Net;
using System.Runtime.CompilerServices;
using FastPath.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FastPath.Yarp;

/// <summary>The client address of a request as a 128-bit key: from a configured forwarded header, else the connection.</summary>
internal static class ClientAddress
{
    public static bool TryGet(HttpContext context, string? header, out UInt128 key)
    {
        key = Get(context, header, out bool found);
        return found;
    }

    /// <summary>
    /// <see cref="TryGet"/> with the key as the result (0 when not found): a key written through an out parameter is
    /// a local whose address is taken, which the JIT keeps in memory, a store and a reload on every pick's way to the
    /// persistence table's hash.
    /// </summary>
    public static UInt128 Get(HttpContext context, string? header, out bool found)
    {
        found = true;
        if (header is not null && TryGetForwarded(context, header, out var forwarded)) return forwarded;
        // A mapped address (a dual-stack listener) is already ::ffff:a.b.c.d, IpKey's form of IPv4: no MapToIPv4 copy.
        if (context.Connection.RemoteIpAddress is { } remote) return IpKey.From(remote);
        found = false;
        return 0;
    }

    // Out of line: the picks inline Get, and the header's dictionary and parser only run when a header is configured.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryGetForwarded(HttpContext context, string header, out UInt128 key)
    {
        key = default;
        return context.Request.Headers.TryGetValue(header, out StringValues values) && values.Count > 0 && TryParseForwarded(values[0].AsSpan(), out key);
    }

    /// <summary>The first hop of <c>X-Forwarded-For: a, b</c> or <c>Forwarded: for=a;proto=…, for=b</c>; IPv4 parsed without allocating.</summary>
    public static bool TryParseForwarded(ReadOnlySpan<char> value, out UInt128 key)
    {
        int comma = value.IndexOf(',');
        if (comma >= 0) value = value[..comma];
        value = value.Trim();
        if (value.StartsWith("for=", StringComparison.OrdinalIgnoreCase))
        {
            value = value[4..];
            int semi = value.IndexOf(';');
            if (semi >= 0) value = value[..semi];
            value = value.Trim().Trim('"');
        }
        if (TryParseIPv4(value, out key)) return true;
        // "[2001:db8::1]:4711" or a bare IPv6 address (rare enough to allow IPAddress's allocation).
        if (value.StartsWith('['))
        {
            int close = value.IndexOf(']');
            if (close < 0) { key = default; return false; }
            value = value[1..close];
        }
        // Only IPv6 here: IPAddress would also take inet_aton's legacy IPv4 forms ("1.2.3"), which no proxy writes.
        if (value.Contains(':') && IPAddress.TryParse(value, out var address)) { key = IpKey.From(address); return true; }
        key = default;
        return false;
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> s, out UInt128 key)
    {
        key = default;
        uint ip = 0;
        int octets = 0, i = 0;
        while (octets < 4)
        {
            int start = i, v = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9 && i - start < 3) v = v * 10 + (s[i++] - '0');
            if (i == start || v > 255) return false;
            ip = (ip << 8) | (uint)v;
            octets++;
            if (octets < 4) { if (i >= s.Length || s[i] != '.') return false; i++; }
        }
        // An optional ":port" after the address (X-Forwarded-For from some proxies).
        if (i < s.Length && s[i] != ':') return false;
        key = IpKey.FromIPv4(ip);
        return true;
    }
}
