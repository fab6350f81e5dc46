namespace Upseed.LoRa.Mesh;

/// <summary>
/// Where records that arrive over the mesh go: the node's store. <see cref="Ingest"/> must validate as every ingest
/// path does (canonical bencode, signature, proof of work); the mesh trusts nothing it reassembled.
/// </summary>
public interface IMeshRecordSink
{
    MeshIngestResult Ingest(ReadOnlyMemory<byte> canonicalRecord);
}
