import assert from 'node:assert/strict';
import { readRegistrySettings } from '../../server/registry-settings';

describe('podstart.registry settings', () => {
  it('is off unless enabled is exactly true, for linux/amd64, with no insecure registry', () => {
    assert.deepEqual(readRegistrySettings(undefined), { settings: { enabled: false, platform: 'linux/amd64', insecureRegistries: [] }, problems: [] });
    assert.deepEqual(readRegistrySettings({}).settings.enabled, false);
    assert.deepEqual(readRegistrySettings({ enabled: 'yes' }), {
      settings: { enabled: false, platform: 'linux/amd64', insecureRegistries: [] },
      problems: ['podstart.registry.enabled must be true or false'],
    });
  });

  it('reads a platform and insecure hosts, dropping what is not one, with a word why', () => {
    assert.deepEqual(readRegistrySettings({ enabled: true, platform: 'linux/arm64/v8', insecureRegistries: ['registry.internal:5000', ' 10.0.0.7 '] }), {
      settings: { enabled: true, platform: 'linux/arm64/v8', insecureRegistries: ['registry.internal:5000', '10.0.0.7'] },
      problems: [],
    });
    assert.deepEqual(readRegistrySettings({ enabled: true, platform: 'arm64', insecureRegistries: ['http://evil.example/path', 42] }), {
      settings: { enabled: true, platform: 'linux/amd64', insecureRegistries: [] },
      problems: [
        'podstart.registry.platform "arm64" is not a platform such as "linux/amd64"',
        'podstart.registry.insecureRegistries: "http://evil.example/path" is not a host or host:port',
        'podstart.registry.insecureRegistries: 42 is not a host or host:port',
      ],
    });
  });
});
