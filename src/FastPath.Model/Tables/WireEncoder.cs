using System;
using System.Collections.Generic;
using System.Text;
using FastPath.Model.Planning;

namespace FastPath.Model.Tables;

/// <summary>Dotted names in DNS wire format (answers are written by the planner's <see cref="AnswerWriter"/>).</summary>
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
}
