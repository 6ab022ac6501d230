import { CHANNEL_PERMISSIONS, isChannelTeam, mayOnChannel, type ChannelRelation } from './permissions';

describe('mayOnChannel', () => {
  const nobody: ChannelRelation = { isOwner: false, isSubscriber: false };
  const owner: ChannelRelation = { isOwner: true, isSubscriber: false };
  const editor: ChannelRelation = { isOwner: false, isSubscriber: true, adminPermissions: ['edit_channel'] };
  const bareAdmin: ChannelRelation = { isOwner: false, isSubscriber: true, adminPermissions: [] };
  const platformAdmin: ChannelRelation = { roles: ['admin'], isOwner: false, isSubscriber: false };

  it('lets the owner do everything, and only the owner manage admins or delete the channel', () => {
    for (const action of [...CHANNEL_PERMISSIONS, 'manage_admins', 'delete_channel', 'view_admins'] as const) expect(mayOnChannel(owner, action)).toBe(true);
    const everything: ChannelRelation = { isOwner: false, isSubscriber: true, roles: ['admin'], adminPermissions: [...CHANNEL_PERMISSIONS] };
    expect(mayOnChannel(everything, 'manage_admins')).toBe(false);
    expect(mayOnChannel(everything, 'delete_channel')).toBe(false);
  });

  it('gives admins exactly their permissions, and the admin list to the whole team', () => {
    expect(mayOnChannel(editor, 'edit_channel')).toBe(true);
    expect(mayOnChannel(editor, 'edit_content')).toBe(false);
    expect(mayOnChannel(bareAdmin, 'view_admins')).toBe(true);
    expect(mayOnChannel(bareAdmin, 'edit_channel')).toBe(false);
    expect(isChannelTeam(bareAdmin)).toBe(true);
    expect(mayOnChannel({ ...nobody, isSubscriber: true }, 'view_admins')).toBe(false);
  });

  it('lets a platform admin moderate comments anywhere but nothing else', () => {
    expect(mayOnChannel(platformAdmin, 'moderate_comments')).toBe(true);
    for (const action of ['edit_channel', 'add_content', 'view_admins', 'manage_admins'] as const) expect(mayOnChannel(platformAdmin, action)).toBe(false);
    expect(mayOnChannel(nobody, 'moderate_comments')).toBe(false);
  });
});
