import { deploy } from '../../src/salesforce/deploy';
import type { LocalOrg } from '@call-touchpoints/local-org';
import type { Gateway } from '../../src/salesforce/gateway';
import { TASK_CHANGE_TOPIC } from '@call-touchpoints/pubsub-codec';
import { localOrgSession, orgPubSubClient } from './helpers';

describe('deploy selects Task for Change Data Capture', () => {
  let org: LocalOrg;
  let gateway: Gateway;
  const topic = () => {
    const client = orgPubSubClient(org);
    return client.getTopic(TASK_CHANGE_TOPIC).finally(() => client.close());
  };

  beforeAll(async () => {
    ({ org, gateway } = await localOrgSession({ preload: true }));
  });
  afterAll(async () => {
    await org?.close();
  });

  it('--check reports the selection missing, and the org has no Task change events yet', async () => {
    const result = await deploy(gateway, { check: true });
    expect(result.components.find((c) => c.type === 'PlatformEventChannelMember')).toEqual({
      type: 'PlatformEventChannelMember',
      fullName: 'ChangeEvents_TaskChangeEvent',
      status: 'missing',
    });
    await expect(topic()).rejects.toMatchObject({ code: 5 }); // NOT_FOUND: not selected
  });

  it('deploy selects it once; a second deploy and --check find it up to date', async () => {
    const first = await deploy(gateway);
    expect(first.components.find((c) => c.type === 'PlatformEventChannelMember')?.status).toBe('created');
    expect((await topic()).can_subscribe).toBe(true);
    for (const check of [false, true]) {
      const again = await deploy(gateway, { check });
      expect(again.components.find((c) => c.type === 'PlatformEventChannelMember')?.status).toBe(
        'up to date',
      );
    }
  });

  it('the local org refuses a channel member that selects no object of the org', async () => {
    const [res] = await gateway.upsertMetadata('PlatformEventChannelMember', [
      {
        fullName: 'ChangeEvents_NopeChangeEvent',
        eventChannel: 'ChangeEvents',
        selectedEntity: 'NopeChangeEvent',
      },
    ]);
    expect(res.success).toBe(false);
    expect(res.errors[0].message).toMatch(/selectedEntity 'NopeChangeEvent'/);
  });
});
