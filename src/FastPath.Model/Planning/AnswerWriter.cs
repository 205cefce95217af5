using System;
using System.Collections.Generic;

namespace FastPath.Model.Planning;

/// <summary>The section a planned record goes to.</summary>
internal enum Section : byte { Answer, Authority, Additional }

/// <summary>
/// Writes one planned answer's records straight into a reused buffer as DNS wire bytes (no per-record objects), in
/// the order the planner produces them, then lays the sections out (answer, authority, additional; loadbalance's
/// CNAME-first order) and hands the result to an <see cref="AnswerStore"/>. Names follow <see cref="NameRef"/>: the
/// question is the pointer 0xC00C; the zone as the question spells it is 0xC000, recorded as a fixup the engine
/// patches when it copies the answer.
/// </summary>
internal sealed class AnswerWriter
{
    private byte[] _buf = new byte[512];
    private int _len;
    private Rec[] _recs = new Rec[16];
    private int _count;
    private int[] _fix = new int[16];
    private int _fixCount;
    // Laid-out output, reused.
    private byte[] _out = new byte[512];
    private int[] _starts = new int[16];
    private int[] _outFix = new int[16];

    private struct Rec
    {
        public int Start, End, FixStart, FixEnd;
        public PlanType Type;
        public Section Section;
    }

    /// <summary>A point to roll back to (records written after it are dropped).</summary>
    public readonly struct Mark(int length, int count, int fixups)
    {
        public readonly int Length = length, Count = count, Fixups = fixups;
    }

    public void Reset() { _len = 0; _count = 0; _fixCount = 0; }

    public Mark Here() => new(_len, _count, _fixCount);

    public void Rollback(Mark m) { _len = m.Length; _count = m.Count; _fixCount = m.Fixups; }

    public int Count(Section s)
    {
        int n = 0;
        for (int i = 0; i < _count; i++) if (_recs[i].Section == s) n++;
        return n;
    }

    // ---- records --------------------------------------------------------------------------------------------------

    public void Address(Section s, NameRef owner, uint ttl, byte[] address)
    {
        var type = address.Length == 16 ? PlanType.AAAA : PlanType.A;
        int lenAt = Begin(s, owner, type, ttl);
        Bytes(address);
        End(lenAt);
    }

    /// <summary>CNAME, PTR or NS: one name as rdata.</summary>
    public void NameRecord(Section s, NameRef owner, PlanType type, uint ttl, NameRef target)
    {
        int lenAt = Begin(s, owner, type, ttl);
        Name(target);
        End(lenAt);
    }

    /// <summary>A PTR record in the answer section whose target is <paramref name="first"/>.<paramref name="rest"/> (no string made for it).</summary>
    public void PtrRecord(NameRef owner, uint ttl, string first, string rest)
    {
        int lenAt = Begin(Section.Answer, owner, PlanType.PTR, ttl);
        Labels(first);
        Labels(rest);
        Reserve(1);
        _buf[_len++] = 0;
        End(lenAt);
    }

    public void Srv(Section s, NameRef owner, uint ttl, ushort weight, ushort port, NameRef target)
    {
        int lenAt = Begin(s, owner, PlanType.SRV, ttl);
        U16(0); U16(weight); U16(port);
        Name(target);
        End(lenAt);
    }

    public void Txt(Section s, NameRef owner, uint ttl, string text)
    {
        int lenAt = Begin(s, owner, PlanType.TXT, ttl);
        Reserve(1 + text.Length);
        _buf[_len++] = (byte)text.Length;
        foreach (char c in text) _buf[_len++] = (byte)c;
        End(lenAt);
    }

    /// <summary>The zone's SOA: ns.dns.&lt;zone&gt; hostmaster.&lt;zone&gt;, the fixed timers CoreDNS writes, and the TTL as minimum.</summary>
    public void Soa(Section s, uint ttl, uint serial, uint minimum)
    {
        int lenAt = Begin(s, NameRef.Zone, PlanType.SOA, ttl);
        Name(NameRef.NsDns);
        Name(NameRef.Hostmaster);
        U32(serial); U32(7200); U32(1800); U32(86400); U32(minimum);
        End(lenAt);
    }

    private int Begin(Section s, NameRef owner, PlanType type, uint ttl)
    {
        if (_count == _recs.Length) Array.Resize(ref _recs, _count * 2);
        _recs[_count] = new Rec { Start = _len, FixStart = _fixCount, Type = type, Section = s };
        Name(owner);
        U16((ushort)type); U16(1); U32(ttl);
        int lenAt = _len;
        U16(0);
        return lenAt;
    }

    private void End(int lenAt)
    {
        int len = _len - lenAt - 2;
        _buf[lenAt] = (byte)(len >> 8); _buf[lenAt + 1] = (byte)len;
        ref var r = ref _recs[_count++];
        r.End = _len;
        r.FixEnd = _fixCount;
    }

    private void Name(NameRef n)
    {
        switch (n.Kind)
        {
            case NameKind.QName: U16(0xC00C); break;
            case NameKind.ZoneRelative:
                Labels(n.Text);
                if (_fixCount == _fix.Length) Array.Resize(ref _fix, _fixCount * 2);
                _fix[_fixCount++] = _len;
                U16(0xC000);
                break;
            default:
                Labels(n.Text);
                Reserve(1);
                _buf[_len++] = 0;
                break;
        }
    }

    /// <summary>The dotted name's labels in wire format (a trailing dot or the root adds nothing).</summary>
    private void Labels(string dotted)
    {
        Reserve(dotted.Length + 1);
        int start = 0;
        for (int i = 0; i <= dotted.Length; i++)
        {
            if (i < dotted.Length && dotted[i] != '.') continue;
            int len = i - start;
            if (len > 0)
            {
                _buf[_len++] = (byte)len;
                for (int k = start; k < i; k++) _buf[_len++] = (byte)dotted[k];
            }
            start = i + 1;
        }
    }

    private void Bytes(byte[] b)
    {
        Reserve(b.Length);
        Buffer.BlockCopy(b, 0, _buf, _len, b.Length);
        _len += b.Length;
    }

    private void U16(ushort v) { Reserve(2); _buf[_len++] = (byte)(v >> 8); _buf[_len++] = (byte)v; }
    private void U32(uint v) { Reserve(4); _buf[_len++] = (byte)(v >> 24); _buf[_len++] = (byte)(v >> 16); _buf[_len++] = (byte)(v >> 8); _buf[_len++] = (byte)v; }

    private void Reserve(int n)
    {
        if (_len + n > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + n));
    }

    // ---- layout ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Lays out the written records (answer, authority, additional; with loadbalance, a mixed section as CNAMEs, other
    /// types, then the addresses that rotate) and adds the answer to <paramref name="store"/>; returns its id.
    /// </summary>
    public int Commit(AnswerStore store, int rcode, bool loadBalance)
    {
        int total = _count;
        if (_out.Length < _len) _out = new byte[Math.Max(_out.Length * 2, _len)];
        if (_starts.Length < total + 1) _starts = new int[Math.Max(_starts.Length * 2, total + 1)];
        if (_outFix.Length < _fixCount) _outFix = new int[Math.Max(_outFix.Length * 2, _fixCount)];
        int w = 0, f = 0, n = 0;
        bool regroup = loadBalance && rcode == 0;
        int an = 0, ns = 0, ar = 0, af = 0, ac = 0, xf = 0, xc = 0;
        for (int s = 0; s < 3; s++)
        {
            var section = (Section)s;
            int first = n;
            bool mixed = regroup && section != Section.Authority && HasNonAddress(section);
            // Passes: without regrouping one pass in written order; with it CNAMEs, then other types, then addresses.
            for (int pass = mixed ? 0 : 3, last = mixed ? 3 : 4; pass < last; pass++)
                for (int i = 0; i < total; i++)
                {
                    ref var r = ref _recs[i];
                    if (r.Section != section) continue;
                    bool isAddr = r.Type is PlanType.A or PlanType.AAAA;
                    if (pass == 0 && r.Type != PlanType.CNAME) continue;
                    if (pass == 1 && (r.Type == PlanType.CNAME || isAddr)) continue;
                    if (pass == 2 && !isAddr) continue;
                    _starts[n++] = w;
                    for (int k = r.FixStart; k < r.FixEnd; k++) _outFix[f++] = w + (_fix[k] - r.Start);
                    Buffer.BlockCopy(_buf, r.Start, _out, w, r.End - r.Start);
                    w += r.End - r.Start;
                }
            int count = n - first;
            if (section == Section.Answer) an = count; else if (section == Section.Authority) ns = count; else ar = count;
            if (regroup && section != Section.Authority)
            {
                int runFirst = -1, runCount = 0;
                for (int i = first; i < n; i++)
                {
                    var type = TypeAt(_starts[i]);
                    if (type is PlanType.A or PlanType.AAAA) { if (runFirst < 0) runFirst = i - first; runCount++; }
                }
                if (runCount >= 2)
                {
                    if (section == Section.Answer) { af = runFirst; ac = runCount; }
                    else { xf = runFirst; xc = runCount; }
                }
            }
        }
        _starts[n] = w;
        return store.Add(new AnswerStore.Header(rcode, an, ns, ar, af, ac, xf, xc), _out.AsSpan(0, w), _starts.AsSpan(0, n + 1), _outFix.AsSpan(0, f));
    }

    private bool HasNonAddress(Section s)
    {
        for (int i = 0; i < _count; i++)
            if (_recs[i].Section == s && _recs[i].Type is not (PlanType.A or PlanType.AAAA)) return true;
        return false;
    }

    /// <summary>The type of the laid-out record at <paramref name="start"/> (its owner name skipped).</summary>
    private PlanType TypeAt(int start)
    {
        int p = start;
        while (true)
        {
            byte b = _out[p];
            if (b == 0) { p++; break; }
            if ((b & 0xC0) == 0xC0) { p += 2; break; }
            p += b + 1;
        }
        return (PlanType)((_out[p] << 8) | _out[p + 1]);
    }
}
