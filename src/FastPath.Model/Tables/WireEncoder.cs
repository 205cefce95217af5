using System;
using System.Collections.Generic;
using System.Text;
using FastPath.Model.Planning;

namespace FastPath.Model.Tables;

/// <summary>
/// Encodes planned records as DNS wire bytes that follow the question: the question's own name is the pointer 0xC00C;
/// the zone as the question spells it is a pointer whose target depends on the question's length, so it is written as
/// 0xC000 and its offset recorded as a fixup, which the engine patches when it copies the answer. One answer then
/// serves every name of any length and spelling.
/// </summary>
public static class WireEncoder
{
    public static byte[] Name(string fqdn)
    {
        if (fqdn == "." || fqdn.Length == 0) return [0];
        var bytes = new List<byte>();
        foreach (var label in fqdn.TrimEnd('.').Split('.'))
        {
            var b = Encoding.ASCII.GetBytes(label);
            bytes.Add((byte)b.Length);
            bytes.AddRange(b);
        }
        bytes.Add(0);
        return bytes.ToArray();
    }

    public sealed class Writer
    {
        private readonly List<byte> _b = new();

        public int Length => _b.Count;
        /// <summary>Offsets of the zone pointers to patch.</summary>
        public List<int> Fixups { get; } = new();
        public byte[] ToArray() => _b.ToArray();

        public void Record(PlanRecord r)
        {
            WriteName(r.Owner);
            U16((ushort)r.Type); U16(1); U32(r.Ttl);
            int lenAt = _b.Count;
            U16(0);
            switch (r.Type)
            {
                case PlanType.A: case PlanType.AAAA: _b.AddRange(r.Address!); break;
                case PlanType.CNAME: case PlanType.PTR: case PlanType.NS: WriteName(r.Target!); break;
                case PlanType.SRV: U16(r.Priority); U16(r.Weight); U16(r.Port); WriteName(r.Target!); break;
                case PlanType.TXT:
                    var t = Encoding.ASCII.GetBytes(r.Text!);
                    _b.Add((byte)t.Length); _b.AddRange(t);
                    break;
                case PlanType.SOA:
                    WriteName(r.Target!);
                    WriteName(NameRef.InZone(r.Text!));
                    U32(r.Serial); U32(7200); U32(1800); U32(86400); U32(r.Minimum);
                    break;
            }
            int len = _b.Count - lenAt - 2;
            _b[lenAt] = (byte)(len >> 8); _b[lenAt + 1] = (byte)len;
        }

        private void WriteName(NameRef n)
        {
            switch (n.Kind)
            {
                case NameKind.QName: U16(0xC00C); break;
                case NameKind.ZoneRelative:
                    if (n.Text.Length > 0)
                        foreach (var label in n.Text.Split('.'))
                        {
                            var b = Encoding.ASCII.GetBytes(label);
                            _b.Add((byte)b.Length); _b.AddRange(b);
                        }
                    Fixups.Add(_b.Count);
                    U16(0xC000);
                    break;
                default: _b.AddRange(Name(n.Text)); break;
            }
        }

        private void U16(ushort v) { _b.Add((byte)(v >> 8)); _b.Add((byte)v); }
        private void U32(uint v) { _b.Add((byte)(v >> 24)); _b.Add((byte)(v >> 16)); _b.Add((byte)(v >> 8)); _b.Add((byte)v); }
    }
}
