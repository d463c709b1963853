// KafkaJS 2.2.4 against an Orlog broker: admin creates a topic, an idempotent producer writes numbered
// records, a group of two consumers reads them all and commits, admin reads the group's offsets back.
// Usage: node roundtrip.js BOOTSTRAP TOPIC COUNT. Prints one JSON line; exits 1 on any failure.
const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, topic, countText] = process.argv.slice(2);
const count = Number(countText);
const kafka = new Kafka({ clientId: 'orlog-kafkajs', brokers: [bootstrap], logLevel: logLevel.ERROR });

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < count; i += 10) {
    const messages = [];
    for (let j = i; j < Math.min(count, i + 10); j++) {
      messages.push({ key: `key-${j % 7}`, value: `value-${j}`, headers: { n: String(j) } });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();

  const seen = new Set();
  const byMember = {};
  const consumers = [];
  for (const name of ['a', 'b']) {
    const consumer = kafka.consumer({ groupId: `${topic}-group`, sessionTimeout: 10000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    byMember[name] = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value.toString() !== `value-${message.headers.n.toString()}`) {
          throw new Error(`value ${message.value} does not match header n=${message.headers.n}`);
        }
        seen.add(message.value.toString());
        byMember[name]++;
      },
    });
    consumers.push(consumer);
  }
  const deadline = Date.now() + 60000;
  while (seen.size < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const consumer of consumers) {
    await consumer.disconnect();
  }
  const offsets = await admin.fetchOffsets({ groupId: `${topic}-group`, topics: [topic] });
  const committed = offsets[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0);
  const groups = await admin.listGroups();
  await admin.disconnect();
  console.log(JSON.stringify({ read: seen.size, byMember, committed, groups: groups.groups.map((g) => g.groupId) }));
  if (seen.size !== count) {
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
