namespace Upseed.LoRa.Frames;

/// <summary>
/// One decoded frame (one radio payload). For <see cref="MeshFrameType.RecordFragment"/>: the message id (the first
/// four bytes of the record id), the fragment's index and the message's fragment count, the remaining hop budget, and
/// the fragment bytes. For <see cref="MeshFrameType.Have"/> and <see cref="MeshFrameType.Want"/>: the entries in
/// <see cref="Body"/> (read them with <see cref="MeshFrameCodec"/>).
/// </summary>
public readonly record struct MeshFrame(MeshFrameType Type, int Hops, uint MessageId, int Index, int Count, ReadOnlyMemory<byte> Body);
