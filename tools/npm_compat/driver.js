// Drives the unmodified npm client `tiktok-api` against a tiktok sandbox: every one of its
// 33 methods, then one badly signed request. Prints one JSON line per call on stdout.
// Usage: node driver.js BASE_URL SIGNING_KEY EMAIL USERNAME PASSWORD BIG_USER_ID
'use strict';
const crypto = require('crypto');
const TikTokAPI = require('tiktok-api').default;
const { getRequestParams } = require('tiktok-api');

const [baseURL, key, email, username, password, bigUser] = process.argv.slice(2);

// The sandbox scheme (tiktok.sandbox.SandboxSigner): HMAC-SHA256 over the request target.
function requestTarget(url) {
  return url.slice(url.indexOf('/', url.indexOf('://') + 3));
}
function signerFor(signingKey) {
  return (url) => {
    const h = crypto.createHmac('sha256', signingKey).update(requestTarget(url)).digest('hex');
    return Promise.resolve(`${url}&as=${h.slice(0, 20)}&cp=${h.slice(20, 40)}&mas=${h.slice(40, 64)}`);
  };
}

const device = getRequestParams({
  device_id: '6600000000000000101',
  iid: '6600000000000000102',
  openudid: 'fedcba9876543210',
  fp: 'npm-compat-fingerprint',
});
// baseURL points at the sandbox; the client still sends its default `Host: api2.musical.ly`.
const api = new TikTokAPI(device, { signURL: signerFor(key), baseURL });

function report(call, ok, detail) {
  process.stdout.write(JSON.stringify({ call, ok, detail }) + '\n');
}

function success(data) {
  return data !== null && typeof data === 'object' && (data.status_code === 0 || data.message === 'success');
}

async function check(call, promise, describe) {
  try {
    const res = await promise;
    const ok = success(res.data);
    report(call, ok, ok ? describe(res.data) : `HTTP ${res.status} body ${JSON.stringify(res.data).slice(0, 200)}`);
    return ok ? res.data : null;
  } catch (error) {
    report(call, false, `threw ${error && error.message}`);
    return null;
  }
}

const now = () => Math.floor(Date.now() / 1000);
const len = (list) => (Array.isArray(list) ? list.length : 'no list');

async function main() {
  await check('loginWithEmail', api.loginWithEmail(email, password), (d) => `user_id ${d.data.user_id}`);
  await check('loginWithUsername', api.loginWithUsername(username, password), (d) => `name ${d.data.name}`);
  await check('getUser', api.getUser(bigUser), (d) => `${d.user.unique_id}: ${d.user.follower_count} followers`);
  await check('searchUsers', api.searchUsers({ keyword: 'dance', count: 5, cursor: 0 }), (d) => `${len(d.user_list)} users`);
  await check('getQRCode', api.getQRCode(bigUser), (d) => d.qrcode_url.uri);

  const posts = await check('listPosts', api.listPosts({ user_id: bigUser, max_cursor: 0, count: 5 }),
    (d) => `${len(d.aweme_list)} posts, max_cursor ${d.max_cursor}`);
  const postId = posts ? posts.aweme_list[0].aweme_id : '6900000000000000000';
  await check('getPost', api.getPost(postId), (d) => d.aweme_detail.desc);
  await check('likePost', api.likePost(postId), (d) => `is_digg ${d.is_digg}`);
  await check('unlikePost', api.unlikePost(postId), (d) => `is_digg ${d.is_digg}`);
  await check('listComments', api.listComments({ aweme_id: postId, cursor: 0 }), (d) => `${len(d.comments)} of ${d.total}`);
  const text = `hi from npm ${Date.now()}`;
  await check('postComment', api.postComment(postId, text, [{ begin: 0, end: 2, type: 0, user_id: bigUser }]),
    (d) => `cid ${d.comment.cid}, ${len(d.comment.text_extra)} tag`);
  await check('listComments (sees it)', api.listComments({ aweme_id: postId, cursor: 0, count: 5 }).then((res) => {
    if (!res.data.comments || res.data.comments[0].text !== text) res.data.status_code = -1;
    return res;
  }), (d) => `newest: "${d.comments[0].text}"`);

  await check('listForYouFeed', api.listForYouFeed(), (d) => `${len(d.aweme_list)} posts`);
  await check('listFollowingFeed', api.listFollowingFeed(), (d) => `${len(d.aweme_list)} posts`);
  await check('listCategories', api.listCategories(), (d) => `${len(d.category_list)} categories`);
  const tags = await check('searchHashtags', api.searchHashtags({ keyword: 'dance', count: 5, cursor: 0 }),
    (d) => `${len(d.challenge_list)} hashtags`);
  const cid = tags ? tags.challenge_list[0].challenge_info.cid : '10000000';
  // Unencoded values: the client signs "dance off", Node's url.parse sends "dance%20off".
  await check('searchHashtags (a space)', api.searchHashtags({ keyword: 'dance off', count: 1, cursor: 0 }),
    (d) => `#${d.challenge_list[0].challenge_info.cha_name}`);
  await check('listPostsInHashtag', api.listPostsInHashtag({ ch_id: cid, count: 5, cursor: 0 }), (d) => `${len(d.aweme_list)} posts`);
  await check('getSticker', api.getSticker('100000'), (d) => d.sticker_infos[0].name);
  await check('getStickers', api.getStickers(['100000', '100001']), (d) => `${len(d.sticker_infos)} stickers`);
  await check('listPostsBySticker', api.listPostsBySticker({ sticker_id: '100000', count: 5, cursor: 0 }),
    (d) => `${len(d.aweme_list)} posts`);

  await check('listFollowers', api.listFollowers({ user_id: bigUser, max_time: now(), count: 5 }),
    (d) => `${len(d.followers)} of ${d.total}`);
  await check('listFollowing', api.listFollowing({ user_id: bigUser, max_time: now(), count: 5 }),
    (d) => `${len(d.followings)} of ${d.total}`);
  await check('follow', api.follow(bigUser), (d) => `follow_status ${d.follow_status}`);
  await check('unfollow', api.unfollow(bigUser), (d) => `follow_status ${d.follow_status}`);
  const requests = await check('listReceivedFollowRequests', api.listReceivedFollowRequests({ max_time: now(), count: 10 }),
    (d) => `${len(d.request_users)} pending`);
  const pending = requests ? requests.request_users.map((u) => u.uid) : ['0', '0'];
  await check('approveFollowRequest', api.approveFollowRequest(pending[0]), (d) => `approve_status ${d.approve_status}`);
  await check('rejectFollowRequest', api.rejectFollowRequest(pending[1]), (d) => `reject_status ${d.reject_status}`);

  await check('canStartLiveStream', api.canStartLiveStream(), (d) => `can_be_live_podcast ${d.can_be_live_podcast}`);
  const created = await check('createLiveStreamRoom', api.createLiveStreamRoom('npm room'),
    (d) => `room ${d.room.room_id} "${d.room.title}" status ${d.room.status}`);
  const room = created ? created.room : { room_id: '0', stream_id: '0' };
  await check('updateLiveStreamStatus', api.updateLiveStreamStatus({
    room_id: room.room_id, stream_id: room.stream_id, status: 2, reason_no: 0,
  }), () => `room ${room.room_id} started`);
  await check('joinLiveStream', api.joinLiveStream(room.room_id), (d) => `status ${d.room.status}`);
  await check('leaveLiveStream', api.leaveLiveStream(room.room_id), () => 'left');
  const started = await check('startLiveStream', api.startLiveStream('npm stream'), (d) => `room ${d.room.room_id}`);
  const live = started ? started.room : { room_id: '0', stream_id: '0' };
  await check('endLiveStream', api.endLiveStream(live.room_id, live.stream_id), () => `room ${live.room_id} ended`);

  // A badly signed request: the server must answer 200 with an empty body.
  const forger = new TikTokAPI(device, { signURL: signerFor(key + '-wrong'), baseURL });
  try {
    const res = await forger.getUser(bigUser);
    const empty = res.status === 200 && (res.data === '' || res.data === undefined);
    report('bad signature -> empty body', empty, `HTTP ${res.status}, body ${JSON.stringify(res.data)}`);
  } catch (error) {
    report('bad signature -> empty body', false, `threw ${error && error.message}`);
  }
}

main().catch((error) => {
  report('driver', false, String(error && error.stack));
  process.exitCode = 1;
});
