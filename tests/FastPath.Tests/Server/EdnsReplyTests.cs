using System;
using System.Linq;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Model.Loading;
using FastPath.Server;
using FastPath.Tests.Compiled;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>
/// What the server puts in the additional section of replies to EDNS0 queries, as CoreDNS does: BADVERS for a
/// version above 0 (plugin/pkg/edns Version), no OPT on FORMERR or NOTIMP (miekg/dns drops every record there), our
/// OPT on everything else.
/// </summary>
public sealed class EdnsReplyTests : ServeHarness
{
    private static readonly Model.Cluster Demo = ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;
    private const string Name = "my-service.default.svc.cluster.local";

    /// <summary>A query for <see cref="Name"/> with one OPT in the additional section of the given version.</summary>
    private static byte[] WithOpt(byte version, ushort id = 0x5151)
    {
        var q = DnsWireWriter.Query(id, Name, DnsType.A);
        q[11] = 1;
        return [.. q, 0, 0, 41, 0x04, 0xD0, 0, version, 0, 0, 0, 0];
    }

    private static byte[] Question(byte[] query) => query.AsSpan(12, DnsWire.QuestionEnd(query) - 12).ToArray();

    [Theory]
    [InlineData((byte)1)]
    [InlineData((byte)255)]
    public void An_edns_version_above_zero_gets_badvers_with_the_question_and_one_opt_of_version_zero_over_udp_and_tcp(byte version)
    {
        var server = Start(Demo, o => o.Plugins = null);
        var query = WithOpt(version);
        foreach (var reply in new[] { Udp(server.Bound, query), Tcp(server.Bound, query) })
        {
            // ID, QR|RD, rcode 0 (BADVERS's low bits), one question, no answers, one additional: the OPT.
            Assert.Equal(new byte[] { 0x51, 0x51, 0x81, 0x00, 0, 1, 0, 0, 0, 0, 0, 1 }, reply.AsSpan(0, 12).ToArray());
            Assert.Equal(Question(query), reply.AsSpan(12, Question(query).Length).ToArray());
            // Root owner, type OPT, UDP size 0, extended rcode 1 (16 >> 4), version 0, no flags, no options.
            Assert.Equal(new byte[] { 0, 0, 41, 0, 0, 1, 0, 0, 0, 0, 0 }, reply.AsSpan(12 + Question(query).Length).ToArray());
        }
    }

    [Fact]
    public void Badvers_comes_from_every_engine_alike_and_before_the_first_sync()
    {
        var query = WithOpt(1);
        var want = Udp(Start(Demo, o => o.Plugins = null).Bound, query);
        Assert.Equal(want, Udp(Start(Demo, o => { o.Plugins = null; o.Engine = DnsEngineKind.Reference; }).Bound, query));
        Assert.Equal(want, Udp(Start(new SnapshotPublisher(), o => o.Plugins = null).Bound, query)); // nothing published yet
    }

    [Fact]
    public void Version_zero_is_answered_with_our_opt_and_the_answer()
    {
        var server = Start(Demo, o => o.Plugins = null);
        var reply = Udp(server.Bound, WithOpt(0));
        var m = DnsWireReader.ReadMessage(reply)!;
        Assert.Equal(Rcode.NoError, m.Rcode);
        Assert.Equal("10.100.200.1", m.Answer.Single().Data.ToText());
        Assert.Equal(1, reply[11]); // our OPT
        Assert.Equal(new byte[] { 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0 }, reply.AsSpan(reply.Length - 11).ToArray());
    }

    [Fact]
    public void Formerr_and_notimp_replies_carry_no_opt_as_miekg_dns_writes_them()
    {
        var server = Start(Demo, o => o.Plugins = null);
        var tooMany = WithOpt(0);
        tooMany[7] = 2; // ANCOUNT 2: miekg/dns's acceptfunc rejects it, FORMERR
        var badRecord = DnsWireWriter.Query(0x5151, Name, DnsType.A);
        badRecord[11] = 2; // an A record with 5 octets of RDATA, then our OPT
        badRecord = [.. badRecord, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5, 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0];
        var status = WithOpt(0);
        status[2] |= 0x10; // opcode STATUS: NOTIMP
        foreach (var (query, rcode) in new[] { (tooMany, Rcode.FormErr), (badRecord, Rcode.FormErr), (status, Rcode.NotImp) })
        {
            var reply = Udp(server.Bound, query);
            Assert.Equal((int)rcode, reply[3] & 0xF);
            Assert.Equal(12, reply.Length); // the header alone: ARCOUNT 0, no OPT
            Assert.Equal(0, reply[11]);
        }
    }

    [Fact]
    public void A_class_other_than_in_is_refused_before_the_version_is_checked_and_keeps_our_opt()
    {
        var server = Start(Demo, o => o.Plugins = null);
        var query = WithOpt(1);
        int classAt = DnsWire.QuestionEnd(query) - 1;
        query[classAt] = 3; // CH
        var reply = Udp(server.Bound, query);
        Assert.Equal((int)Rcode.Refused, reply[3] & 0xF);
        Assert.Equal(1, reply[11]);
        Assert.Equal(new byte[] { 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0 }, reply.AsSpan(reply.Length - 11).ToArray());
    }
}
