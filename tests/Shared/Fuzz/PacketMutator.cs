using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace FastPath.Fuzz;

/// <summary>
/// Makes hostile DNS packets from valid queries: the classic mutations (bit flips, byte overwrites, truncation,
/// insertion) and the structural ones parsers get wrong (compression pointer loops and forward pointers, labels over
/// 63, names over 255, lying section counts, truncated headers, OPT records in the wrong section or with broken
/// options, EDNS versions above 0). Deterministic for a seed, so a failure is replayed by its seed and index.
/// </summary>
public sealed class PacketMutator(int seed)
{
    private readonly Random _rnd = new(seed);

    public static readonly string[] Names =
    [
        "web.shop.svc.cluster.local", "db-0.db.shop.svc.cluster.local", "_http._tcp.web.shop.svc.cluster.local", "far.shop.svc.cluster.local",
        "10-1-0-1.shop.pod.cluster.local", "1.0.1.10.in-addr.arpa", "cluster.local", "nope.shop.svc.cluster.local", "www.example.org", "WeB.ShOp.SvC.CLUSTER.local",
    ];

    private static readonly ushort[] Types = [1, 28, 33, 5, 12, 16, 6, 2, 15, 255, 252, 65, 0, 41];

    /// <summary>A well-formed query, sometimes with an EDNS0 OPT record.</summary>
    public byte[] Valid()
    {
        var name = Names[_rnd.Next(Names.Length)];
        var packet = new List<byte> { (byte)_rnd.Next(256), (byte)_rnd.Next(256), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            packet.Add((byte)label.Length);
            foreach (char c in label) packet.Add((byte)c);
        }
        packet.Add(0);
        ushort type = Types[_rnd.Next(Types.Length)];
        packet.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);
        if (_rnd.Next(2) == 0) AddOpt(packet, section: 3);
        return [.. packet];
    }

    /// <summary>A hostile packet: a valid query with one to three mutations, or random bytes.</summary>
    public byte[] Next()
    {
        if (_rnd.Next(20) == 0) { var junk = new byte[_rnd.Next(0, 80)]; _rnd.NextBytes(junk); return junk; }
        var p = new List<byte>(Valid());
        int mutations = 1 + _rnd.Next(3);
        for (int i = 0; i < mutations; i++) Mutate(p);
        return [.. p];
    }

    private void Mutate(List<byte> p)
    {
        switch (_rnd.Next(13))
        {
            case 0: if (p.Count > 0) { int i = _rnd.Next(p.Count); p[i] ^= (byte)(1 << _rnd.Next(8)); } break;
            case 1: if (p.Count > 0) p[_rnd.Next(p.Count)] = (byte)_rnd.Next(256); break;
            case 2: Truncate(p); break;
            case 3: p.Insert(_rnd.Next(p.Count + 1), (byte)_rnd.Next(256)); break;
            case 4: SetCount(p, _rnd.Next(4), _rnd.Next(4) switch { 0 => 0, 1 => 2, 2 => 0xFFFF, _ => _rnd.Next(6) }); break;
            case 5: Pointer(p, loop: true); break;
            case 6: Pointer(p, loop: false); break;
            case 7: if (p.Count > 12) p[12] = (byte)(64 + _rnd.Next(64)); break; // a label over 63 (or a reserved 0x40/0x80 type)
            case 8: LongName(p); break;
            case 9: AddOpt(p, section: 1 + _rnd.Next(3)); break;
            case 10: BrokenOpt(p); break;
            case 11: if (p.Count > 2) p[2] = (byte)(p[2] | (_rnd.Next(2) == 0 ? 0x80 : (_rnd.Next(16) << 3))); break; // QR or an opcode
            case 12: if (p.Count > 12) p.RemoveRange(_rnd.Next(12), 1); break; // a header short by a byte
        }
    }

    private void Truncate(List<byte> p)
    {
        int keep = _rnd.Next(p.Count + 1);
        p.RemoveRange(keep, p.Count - keep);
    }

    private static void SetCount(List<byte> p, int which, int value)
    {
        int at = 4 + which * 2;
        if (p.Count < at + 2) return;
        p[at] = (byte)(value >> 8); p[at + 1] = (byte)value;
    }

    /// <summary>A compression pointer: to itself or later (a loop), or backwards into the header or question.</summary>
    private void Pointer(List<byte> p, bool loop)
    {
        if (p.Count < 14) return;
        int at = 12 + _rnd.Next(p.Count - 13);
        int target = loop ? at + _rnd.Next(0, 3) : _rnd.Next(at);
        p[at] = (byte)(0xC0 | (target >> 8)); p[at + 1] = (byte)target;
    }

    /// <summary>Replaces the question name with one of 63-octet labels running past 255 octets.</summary>
    private void LongName(List<byte> p)
    {
        if (p.Count < 12) return;
        var name = new List<byte>();
        int labels = 4 + _rnd.Next(2);
        for (int l = 0; l < labels; l++) { name.Add(63); for (int i = 0; i < 63; i++) name.Add((byte)'a'); }
        name.Add(0);
        p.RemoveRange(12, p.Count - 12);
        p.AddRange(name);
        p.AddRange([0, 1, 0, 1]);
    }

    /// <summary>Appends an OPT record and counts it in the given section (1 answer, 2 authority, 3 additional).</summary>
    private void AddOpt(List<byte> p, int section)
    {
        if (p.Count < 12) return;
        ushort size = (ushort)(_rnd.Next(3) switch { 0 => 512, 1 => 1232, _ => _rnd.Next(65536) });
        byte version = (byte)(_rnd.Next(6) switch { 0 => 1, 1 => _rnd.Next(256), _ => 0 }); // above 0 is BADVERS
        p.AddRange([0, 0, 41, (byte)(size >> 8), (byte)size, 0, version, 0, 0, 0, 0]);
        int at = 4 + section * 2;
        ushort n = BinaryPrimitives.ReadUInt16BigEndian([p[at], p[at + 1]]);
        n++;
        p[at] = (byte)(n >> 8); p[at + 1] = (byte)n;
    }

    /// <summary>An OPT whose option length runs past its RDATA, or whose RDATA runs past the message.</summary>
    private void BrokenOpt(List<byte> p)
    {
        if (p.Count < 12) return;
        AddOpt(p, 3);
        int rdlenAt = p.Count - 2;
        if (_rnd.Next(2) == 0) { p[rdlenAt] = 0; p[rdlenAt + 1] = 6; p.AddRange([0, 10, 0, 9, 1, 2]); } // option claims 9 bytes, has 2
        else { p[rdlenAt] = 0x01; p[rdlenAt + 1] = 0x00; } // 256 bytes of RDATA that are not there
    }
}
