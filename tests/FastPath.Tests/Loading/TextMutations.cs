using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace FastPath.Tests.Loading;

/// <summary>Random edits of a text for the loaders' properties: cut three characters, insert a piece, truncate, insert it twice.</summary>
internal static class TextMutations
{
    /// <param name="kinds">How many edit kinds to draw from (0–3 as above; more makes "insert twice" likelier).</param>
    public static Gen<string> Of(string text, int kinds, params string[] pieces) =>
        from ops in Gen.ListOf(
            from at in Gen.Choose(0, Math.Max(0, text.Length - 1))
            from kind in Gen.Choose(0, kinds)
            from piece in Gen.Elements(pieces)
            select (at, kind, piece))
        select ops.Aggregate(text, (t, op) =>
        {
            int at = Math.Min(op.at, t.Length);
            return op.kind switch
            {
                0 => t.Remove(at, Math.Min(3, t.Length - at)),
                1 => t.Insert(at, op.piece),
                2 => t.Substring(0, at),
                _ => t.Insert(at, op.piece + op.piece),
            };
        });
}
