using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace FastPath.Model.Planning;

/// <summary>
/// A port's endpoints as the data plane names them, "ip:port" ("[ip]:port" for IPv6), kept as the address and port
/// texts they are made of. The model already holds both strings, so a plan (and a live cluster, which keeps its plan)
/// holds two references per endpoint instead of a new string of ~50 bytes; a text is made the first time it is read (a
/// selection, the emitter, YARP's destinations) and kept, so reading it again allocates nothing.
/// </summary>
public sealed class EndpointKeys : IReadOnlyList<string>
{
    private readonly string[] _ips;
    private readonly string[] _ports;
    private string?[]? _texts;

    /// <param name="ips">Canonical address texts.</param>
    /// <param name="ports">The port number's text for each address (endpoints of one port may differ: a named target port).</param>
    public EndpointKeys(string[] ips, string[] ports)
    {
        if (ips.Length != ports.Length) throw new System.ArgumentException("one port per address", nameof(ports));
        _ips = ips;
        _ports = ports;
    }

    public int Count => _ips.Length;

    /// <summary>The address of endpoint <paramref name="index"/>, without its port.</summary>
    public string Ip(int index) => _ips[index];

    public string this[int index]
    {
        get
        {
            var texts = Volatile.Read(ref _texts);
            if (texts is null)
            {
                Interlocked.CompareExchange(ref _texts, new string?[_ips.Length], null);
                texts = _texts!;
            }
            // Two threads may both make a text: equal strings, either one is kept.
            return texts[index] ??= Of(_ips[index], _ports[index]);
        }
    }

    /// <summary>"ip:port", with the address in brackets when it is IPv6.</summary>
    public static string Of(string ip, string port) => ip.IndexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;

    /// <summary>
    /// Compares <c>Of(ipA, portA)</c> with <c>Of(ipB, portB)</c> as <see cref="string.CompareOrdinal(string, string)"/>
    /// would, without making either string: the data plane sorts every port's endpoints by key, and a string per
    /// endpoint and port was 12 MB of a 10,000-Service build.
    /// </summary>
    public static int Compare(string ipA, string portA, string ipB, string portB)
    {
        var a = new KeyText(ipA, portA);
        var b = new KeyText(ipB, portB);
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = a[i], y = b[i];
            if (x != y) return x - y;
        }
        return a.Length - b.Length;
    }

    /// <summary>The characters of "ip:port" or "[ip]:port", read in place.</summary>
    private readonly struct KeyText
    {
        private readonly string _ip, _port;
        private readonly int _open; // 1 when the address is bracketed (IPv6), else 0

        public KeyText(string ip, string port)
        {
            _ip = ip;
            _port = port;
            _open = ip.IndexOf(':') >= 0 ? 1 : 0;
        }

        public int Length => _open + _ip.Length + _open + 1 + _port.Length;

        public char this[int i]
        {
            get
            {
                if (i < _open) return '[';
                i -= _open;
                if (i < _ip.Length) return _ip[i];
                i -= _ip.Length;
                if (i < _open) return ']';
                i -= _open;
                return i == 0 ? ':' : _port[i - 1];
            }
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < _ips.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
