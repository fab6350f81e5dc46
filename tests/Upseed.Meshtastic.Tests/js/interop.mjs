// Meshtastic's own definitions (@meshtastic/protobufs) on the other side of the C# link's codec.
//   node interop.mjs decode-frames HEX...  each HEX is one stream frame (0x94 0xC3, 16-bit BE length, ToRadio);
//                                          prints one JSON line per frame, or exits 1 on a bad frame.
//   node interop.mjs make-frames           prints JSON lines {name, hex}: FromRadio frames built here.
import { create, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { Mesh, Config, Channel, Portnums } from "@meshtastic/protobufs";

function frame(bytes) {
  const out = new Uint8Array(4 + bytes.length);
  out[0] = 0x94;
  out[1] = 0xc3;
  out[2] = bytes.length >> 8;
  out[3] = bytes.length & 0xff;
  out.set(bytes, 4);
  return Buffer.from(out).toString("hex");
}

function unframe(hex) {
  const bytes = Buffer.from(hex, "hex");
  if (bytes.length < 4 || bytes[0] !== 0x94 || bytes[1] !== 0xc3) throw new Error("no 0x94 0xC3 header");
  const length = (bytes[2] << 8) | bytes[3];
  if (length > 512) throw new Error(`length ${length} over 512`);
  if (bytes.length !== 4 + length) throw new Error(`length ${length} but ${bytes.length - 4} payload bytes`);
  return new Uint8Array(bytes.subarray(4));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "decode-frames") {
  for (const hex of args) {
    const message = fromBinary(Mesh.ToRadioSchema, unframe(hex));
    // Re-encoding must give the same bytes: nothing we wrote was unknown to Meshtastic's schema.
    const again = Buffer.from(toBinary(Mesh.ToRadioSchema, message)).toString("hex");
    const json = toJson(Mesh.ToRadioSchema, message, { alwaysEmitImplicit: false });
    console.log(JSON.stringify({ json, reencoded: again === hex.slice(8) }));
  }
} else if (mode === "make-frames") {
  const text = create(Mesh.FromRadioSchema, {
    id: 7,
    payloadVariant: {
      case: "packet",
      value: create(Mesh.MeshPacketSchema, {
        from: 0x1a2b3c4d, to: 0xdeadbeef, channel: 1, id: 0x01020304, rxTime: 1763781234, rxSnr: 6.25, hopLimit: 2,
        hopStart: 3, wantAck: true, rxRssi: -97, viaMqtt: false,
        payloadVariant: {
          case: "decoded",
          value: create(Mesh.DataSchema, { portnum: Portnums.PortNum.TEXT_MESSAGE_APP, payload: new TextEncoder().encode("top town week"), replyId: 99 }),
        },
      }),
    },
  });
  const privatePort = create(Mesh.FromRadioSchema, {
    payloadVariant: {
      case: "packet",
      value: create(Mesh.MeshPacketSchema, {
        from: 0x11111111, to: 0xffffffff, id: 0xfffffffe, hopLimit: 7,
        payloadVariant: { case: "decoded", value: create(Mesh.DataSchema, { portnum: 300, payload: new Uint8Array(233).fill(0xa5), requestId: 5 }) },
      }),
    },
  });
  const myInfo = create(Mesh.FromRadioSchema, { payloadVariant: { case: "myInfo", value: create(Mesh.MyNodeInfoSchema, { myNodeNum: 0xdeadbeef, rebootCount: 3, minAppVersion: 30200, pioEnv: "tbeam" }) } });
  const nodeInfo = create(Mesh.FromRadioSchema, {
    payloadVariant: {
      case: "nodeInfo",
      value: create(Mesh.NodeInfoSchema, {
        num: 0x1a2b3c4d, lastHeard: 1763781000, hopsAway: 2, snr: 4.5,
        user: create(Mesh.UserSchema, { id: "!1a2b3c4d", longName: "Ana's radio", shortName: "ANA", hwModel: Mesh.HardwareModel.HELTEC_V3 }),
        position: create(Mesh.PositionSchema, { latitudeI: 520000000, longitudeI: 130000000 }),
      }),
    },
  });
  const lora = create(Mesh.FromRadioSchema, {
    payloadVariant: {
      case: "config",
      value: create(Config.ConfigSchema, {
        payloadVariant: {
          case: "lora",
          value: create(Config.Config_LoRaConfigSchema, { usePreset: true, modemPreset: Config.Config_LoRaConfig_ModemPreset.LONG_FAST, region: Config.Config_LoRaConfig_RegionCode.EU_868, hopLimit: 3, txEnabled: true, ignoreIncoming: [1, 2] }),
        },
      }),
    },
  });
  const channel = create(Mesh.FromRadioSchema, {
    payloadVariant: {
      case: "channel",
      value: create(Channel.ChannelSchema, { index: 0, role: Channel.Channel_Role.PRIMARY, settings: create(Channel.ChannelSettingsSchema, { name: "LongFast", psk: new Uint8Array([1]) }) }),
    },
  });
  const complete = create(Mesh.FromRadioSchema, { payloadVariant: { case: "configCompleteId", value: 0x89abcdef } });
  const log = create(Mesh.FromRadioSchema, { payloadVariant: { case: "logRecord", value: create(Mesh.LogRecordSchema, { message: "boot", source: "Router", level: Mesh.LogRecord_Level.INFO }) } });
  const rebooted = create(Mesh.FromRadioSchema, { payloadVariant: { case: "rebooted", value: true } });
  const samples = { text, privatePort, myInfo, nodeInfo, lora, channel, complete, log, rebooted };
  for (const [name, message] of Object.entries(samples)) {
    console.log(JSON.stringify({ name, hex: frame(toBinary(Mesh.FromRadioSchema, message)) }));
  }
} else {
  console.error("usage: node interop.mjs decode-frames HEX... | make-frames");
  process.exit(2);
}
