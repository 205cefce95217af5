using System.Collections.Generic;

namespace FastPath.Dns;

public enum DnsOpcode : byte { Query = 0, IQuery = 1, Status = 2, Notify = 4, Update = 5 }

public sealed record DnsQuestion(string Name, DnsType Type, DnsClass Class = DnsClass.IN);

/// <summary>A DNS message: header flags, the question and the three record sections in order.</summary>
public sealed class DnsMessage
{
    public ushort Id { get; set; }
    public DnsOpcode Opcode { get; set; }
    public bool IsResponse { get; set; } = true;
    public bool Authoritative { get; set; }
    public bool Truncated { get; set; }
    public bool RecursionDesired { get; set; }
    public bool RecursionAvailable { get; set; }
    public Rcode Rcode { get; set; }
    public required DnsQuestion Question { get; set; }
    public List<DnsRecord> Answer { get; init; } = new();
    public List<DnsRecord> Authority { get; init; } = new();
    public List<DnsRecord> Additional { get; init; } = new();
}
