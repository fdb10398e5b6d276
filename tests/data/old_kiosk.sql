BEGIN TRANSACTION;
CREATE TABLE "alerts" (
   "id" INTEGER PRIMARY KEY,
   "opened_at" TEXT,
   "closed_at" TEXT,
   "acked_at" TEXT,
   "ack_note" TEXT,
   "answers" INTEGER,
   "bad" INTEGER
);
CREATE TABLE "audit" (
   "id" INTEGER PRIMARY KEY,
   "at" TEXT,
   "actor" TEXT,
   "action" TEXT,
   "detail" TEXT
);
INSERT INTO "audit" VALUES(1,'2026-12-01T20:38:55+00:00','admin','sign-in','');
INSERT INTO "audit" VALUES(2,'2026-12-01T20:38:55+00:00','duty','reset','');
CREATE TABLE "auth_attempts" (
   "id" INTEGER PRIMARY KEY,
   "at" TEXT,
   "role" TEXT,
   "ok" INTEGER,
   "client" TEXT
);
INSERT INTO "auth_attempts" VALUES(1,'2026-12-01T20:38:55+00:00','admin',1,'127.0.0.1');
INSERT INTO "auth_attempts" VALUES(2,'2026-12-01T20:38:55+00:00','duty',1,'127.0.0.1');
CREATE TABLE comments (
            answer_id TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            text TEXT NOT NULL,
            masked INTEGER NOT NULL DEFAULT 0 CHECK (masked IN (0, 1))
        );
INSERT INTO "comments" VALUES('7064035ccd184099ac400432b3f9355e','2026-03-09T01:30:20Z','ok 0, call me •••-•••-••••',1);
INSERT INTO "comments" VALUES('3e2591e2e3344be9a85402b303f91c95','2026-03-09T03:30:20Z','ok 4, call me •••-•••-••••',1);
INSERT INTO "comments" VALUES('74e1c22a3bff436d9911d48b8dce5e42','2026-03-09T04:00:20Z','note 5',0);
INSERT INTO "comments" VALUES('e75836567f154849ab9919bc2a52bd81','2026-03-10T02:30:20Z','ok 8, call me •••-•••-••••',1);
INSERT INTO "comments" VALUES('0c0292fd738942b6b61f77756369ea23','2026-03-10T03:30:20Z','note 10',0);
INSERT INTO "comments" VALUES('caca5b8110114d07a2aae07c7744af3f','2026-03-11T01:30:20Z','ok 12, call me •••-•••-••••',1);
INSERT INTO "comments" VALUES('75c23ddb4fb547629872153bd1d2184a','2026-03-11T03:00:20Z','note 15',0);
INSERT INTO "comments" VALUES('d857c314a6274c66af8b6e36156d86c4','2026-03-11T03:30:20Z','ok 16, call me •••-•••-••••',1);
CREATE TABLE "credentials" (
   "name" TEXT PRIMARY KEY,
   "hash" TEXT,
   "created_at" TEXT
);
INSERT INTO "credentials" VALUES('admin_password','scrypt:32768:8:1$imqGnXK7co1yuGzc$8ee19218b510ac06d19d43f01898ee60042caf0e0cb9f395e5d75329d591133d1ea22534e6eb20707a91915fb47b17f53a588c522c46d95201aae4ebaded8c28','2026-12-01T20:38:54+00:00');
INSERT INTO "credentials" VALUES('duty_pin','scrypt:32768:8:1$h1csenCro4qh8VMv$382622f870fdcd348ca71a77127302546290d8f76827507f39f0b70b8f497439385fdddbcd4724fe983571558fafb82e784153366aa47e44f0c65849bd45df48','2026-12-01T20:38:54+00:00');
INSERT INTO "credentials" VALUES('api_token','sha256$00edca57ecd9761243796f2cfc8ae5f3bb6eed28981ef26951f3d29fc2c70c0e','2026-12-01T20:38:54+00:00');
CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kiosk TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
            flag_reason TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
INSERT INTO "events" VALUES(1,'63494a9fac00400bbfb1c5e0bdcf2340','kiosk-1','2026-03-09T01:30:00Z','rating','{"answer_id":"7064035ccd184099ac400432b3f9355e","level":1}',0,NULL,'0000000000000000000000000000000000000000000000000000000000000000','9b1930b0c1fc61587b1ba9ce208c3fe3224375060503d33da1a29572e3f2bc9f');
INSERT INTO "events" VALUES(2,'946af6dc047c433592744c40811009e8','kiosk-1','2026-03-09T01:30:20Z','amend','{"answer_id":"7064035ccd184099ac400432b3f9355e","aspects":{"process":3,"staff":1},"has_comment":true,"reasons":["polite_staff"],"unit":"administration"}',0,NULL,'9b1930b0c1fc61587b1ba9ce208c3fe3224375060503d33da1a29572e3f2bc9f','4b9077a42e238e25a65d0c26de62667cc538a8527b44d0c74618a24bea66afbc');
INSERT INTO "events" VALUES(3,'30620d59edd84f2cacc5311170cb8dc4','kiosk-1','2026-03-09T01:30:40Z','referral','{"unit":"administration"}',0,NULL,'4b9077a42e238e25a65d0c26de62667cc538a8527b44d0c74618a24bea66afbc','14b89636af7976be3285ed1c038e61bb7a515677c277e336da1b4ed3d284c832');
INSERT INTO "events" VALUES(4,'787e4f0801bd4ed7893fed6231d359db','kiosk-1','2026-03-09T02:00:00Z','rating','{"answer_id":"eba655ba9a814aa6b980179fb64b6e82","level":3}',0,NULL,'14b89636af7976be3285ed1c038e61bb7a515677c277e336da1b4ed3d284c832','ef1b0fb0fbc362ca2c09952351824158209de86cbe5c23445aa4e51579486cd7');
INSERT INTO "events" VALUES(5,'2584bcbcdb5e4f26a173a3724e4a2c1a','kiosk-1','2026-03-09T02:00:20Z','amend','{"answer_id":"eba655ba9a814aa6b980179fb64b6e82","aspects":{"process":4,"staff":2},"reasons":["unclear_steps","waited_too_long"],"unit":"investigation"}',0,NULL,'ef1b0fb0fbc362ca2c09952351824158209de86cbe5c23445aa4e51579486cd7','731671cda9a99094d8dba67d2876aaafef98d1717e44e43642e42f14c328c46b');
INSERT INTO "events" VALUES(6,'39bd71f1e41d4d13bf2c279d930d491d','kiosk-1','2026-03-09T02:00:40Z','referral','{"unit":"investigation"}',0,NULL,'731671cda9a99094d8dba67d2876aaafef98d1717e44e43642e42f14c328c46b','add9e2777782cb6f354bcdd4c235cfde0955ef1ff6fe68ec8a27e51290174b07');
INSERT INTO "events" VALUES(7,'bd3fa58d3b604a55899deba8fd8c9b6a','kiosk-1','2026-03-09T02:30:00Z','rating','{"answer_id":"e5f4f50d7ad543e0af4c7cc4e3837cc2","level":5}',0,NULL,'add9e2777782cb6f354bcdd4c235cfde0955ef1ff6fe68ec8a27e51290174b07','bf8149025af6efa3de8d1e6429756c0167949a0a5d986d074353ce4774d65d3a');
INSERT INTO "events" VALUES(8,'abc4853307eb4db1a5b7ecd71e52e921','kiosk-1','2026-03-09T02:30:20Z','amend','{"answer_id":"e5f4f50d7ad543e0af4c7cc4e3837cc2","aspects":{"process":5,"staff":3},"unit":"traffic"}',0,NULL,'bf8149025af6efa3de8d1e6429756c0167949a0a5d986d074353ce4774d65d3a','636519a4afe18d03bb7b935a9cf9e411c7a2a19bd46796e1a53d6991b24fbbe0');
INSERT INTO "events" VALUES(9,'d7e6ffbde9a84f928fc9bc7b053cde0f','kiosk-1','2026-03-09T02:30:40Z','referral','{"unit":"traffic"}',0,NULL,'636519a4afe18d03bb7b935a9cf9e411c7a2a19bd46796e1a53d6991b24fbbe0','4418b013992d059d67780a5214b3293fdb0206abfe5b48899f2cf0592f4dd07b');
INSERT INTO "events" VALUES(10,'d739ac0653024270a81a4c7dc9990dbb','kiosk-1','2026-03-09T03:00:00Z','rating','{"answer_id":"ae76dac7015a4aa99a0d3896f702a5c6","level":2}',0,NULL,'4418b013992d059d67780a5214b3293fdb0206abfe5b48899f2cf0592f4dd07b','cf961f71a218f1b7c8dc3d1962f42fd8f910c10b7d0e0a6b10d959d52c0b1b87');
INSERT INTO "events" VALUES(11,'429e08784928443e8c8f6d3cbdc66c6d','kiosk-1','2026-03-09T03:00:20Z','amend','{"answer_id":"ae76dac7015a4aa99a0d3896f702a5c6","aspects":{"process":1,"staff":4},"reasons":["unclear_steps","waited_too_long"],"unit":"crime_prevention"}',0,NULL,'cf961f71a218f1b7c8dc3d1962f42fd8f910c10b7d0e0a6b10d959d52c0b1b87','4bca028c40c4c5e8304b1f995894ac4f80ce9a9a3cc29ac47805a4c155bbaf0d');
INSERT INTO "events" VALUES(12,'79e58ade2fc34138a552473ed209eb01','kiosk-1','2026-03-09T03:00:40Z','referral','{"unit":"crime_prevention"}',0,NULL,'4bca028c40c4c5e8304b1f995894ac4f80ce9a9a3cc29ac47805a4c155bbaf0d','6bca4c4271d6fa7940acf42dc7953d754e8f46b1c170a2e5dde8f7fd13a44797');
INSERT INTO "events" VALUES(13,'1da6491bf5334b53aa7a8423a5a1c83a','kiosk-1','2026-03-09T03:30:00Z','rating','{"answer_id":"3e2591e2e3344be9a85402b303f91c95","level":4}',0,NULL,'6bca4c4271d6fa7940acf42dc7953d754e8f46b1c170a2e5dde8f7fd13a44797','6a4ff4023f715368c7556887b37d97b8a4a1ed5e6d73e9bb512b882c3e6a8a69');
INSERT INTO "events" VALUES(14,'6959cc38f12440bd810ff00b40d89572','kiosk-1','2026-03-09T03:30:20Z','amend','{"answer_id":"3e2591e2e3344be9a85402b303f91c95","aspects":{"process":2,"staff":5},"has_comment":true,"unit":"administration"}',0,NULL,'6a4ff4023f715368c7556887b37d97b8a4a1ed5e6d73e9bb512b882c3e6a8a69','2a77bebc1b4a0ca796c9d3816577a1598457844527dce0db207bb9c290177e79');
INSERT INTO "events" VALUES(15,'926dd154a1e84a5db82901e2dcb67183','kiosk-1','2026-03-09T03:30:40Z','referral','{"unit":"not_sure"}',0,NULL,'2a77bebc1b4a0ca796c9d3816577a1598457844527dce0db207bb9c290177e79','10f6a88b62e7ab4ca53a0f14ccbbdca53ef4efc950aea2d716a416130df8a8ca');
INSERT INTO "events" VALUES(16,'47a3d75e556741358e6fb58971eec640','kiosk-1','2026-03-09T04:00:00Z','rating','{"answer_id":"74e1c22a3bff436d9911d48b8dce5e42","level":1}',0,NULL,'10f6a88b62e7ab4ca53a0f14ccbbdca53ef4efc950aea2d716a416130df8a8ca','8c5e7dd5933c63a313361039e7bcea0f30f3c41abf1b3b66896421feef3275a5');
INSERT INTO "events" VALUES(17,'2fad8acb7f2e424082d534c551b079cf','kiosk-1','2026-03-09T04:00:20Z','amend','{"answer_id":"74e1c22a3bff436d9911d48b8dce5e42","aspects":{"process":3,"staff":1},"has_comment":true,"reasons":["unclear_steps","waited_too_long"],"unit":"investigation"}',0,NULL,'8c5e7dd5933c63a313361039e7bcea0f30f3c41abf1b3b66896421feef3275a5','09338dd87f0437e51a1d2d67b1c36fd4eef493bb7565e0aef0e9dd5f720f4232');
INSERT INTO "events" VALUES(18,'826412efca7a4785b20cdeb01ae9a1fe','kiosk-1','2026-03-09T04:00:40Z','referral','{"unit":"administration"}',0,NULL,'09338dd87f0437e51a1d2d67b1c36fd4eef493bb7565e0aef0e9dd5f720f4232','c90c43ec94b5f07e2d906997b650061ab00427770164d2f6c7ddf2b1fca6948f');
INSERT INTO "events" VALUES(19,'f97aac0bb5dc442bb30948d3d03d6f75','kiosk-1','2026-03-10T01:30:00Z','rating','{"answer_id":"41334209481c456bb70e0190a6d26f15","level":3}',0,NULL,'c90c43ec94b5f07e2d906997b650061ab00427770164d2f6c7ddf2b1fca6948f','b499bd0a97db376d1c9f1553b3a8f35c75ad57c2637a5d9893ffd10e0ce39626');
INSERT INTO "events" VALUES(20,'fcdc2e1939784762a2cb95e5cef47063','kiosk-1','2026-03-10T01:30:20Z','amend','{"answer_id":"41334209481c456bb70e0190a6d26f15","aspects":{"process":4,"staff":2},"reasons":["polite_staff"],"unit":"traffic"}',0,NULL,'b499bd0a97db376d1c9f1553b3a8f35c75ad57c2637a5d9893ffd10e0ce39626','ab70fbb9444a7d4c583846d80bcaa707ead53c959c2c6e47710bc1875a80eefc');
INSERT INTO "events" VALUES(21,'5fab86e7d5ff49d5a2bc54b7206b053b','kiosk-1','2026-03-10T01:30:40Z','referral','{"unit":"investigation"}',0,NULL,'ab70fbb9444a7d4c583846d80bcaa707ead53c959c2c6e47710bc1875a80eefc','386ee01ffb10980b47642bccaf3cb0c6a25620e6df100783929f912e2c866a01');
INSERT INTO "events" VALUES(22,'c997d0a876bf4fd3bb2fcafe409d64a4','kiosk-1','2026-03-10T02:00:00Z','rating','{"answer_id":"4a3db0f494554806b74f124a06d3e09f","level":5}',0,NULL,'386ee01ffb10980b47642bccaf3cb0c6a25620e6df100783929f912e2c866a01','3caf39140423414faaf7c744018ca0e1e84250c90682083a4826d40877fea437');
INSERT INTO "events" VALUES(23,'be9d7e8b1b554303ab3fbbe724da7c96','kiosk-1','2026-03-10T02:00:04Z','rating','{"answer_id":"6712d67a6c9d446fb9e7c4df7ecefffe","level":5}',1,'repeat','3caf39140423414faaf7c744018ca0e1e84250c90682083a4826d40877fea437','81d282f682df6137b5f65b89670d2cb96e9170660498bde72165653176fa155f');
INSERT INTO "events" VALUES(24,'c94192dcabcb4582bcbd5011d9443e91','kiosk-1','2026-03-10T02:00:24Z','amend','{"answer_id":"4a3db0f494554806b74f124a06d3e09f","aspects":{"process":5,"staff":3},"reasons":["unclear_steps","waited_too_long"],"unit":"crime_prevention"}',0,NULL,'81d282f682df6137b5f65b89670d2cb96e9170660498bde72165653176fa155f','e5456bad95a73ece1acaf2376aea6491d4d6a5d57324e9d78e9ba70ee83725b3');
INSERT INTO "events" VALUES(25,'53f3444a8ba04870954d1d3f36ead8a3','kiosk-1','2026-03-10T02:00:44Z','referral','{"unit":"traffic"}',0,NULL,'e5456bad95a73ece1acaf2376aea6491d4d6a5d57324e9d78e9ba70ee83725b3','c940fae31d186a1a9051953d95e5b7f7bb69e3569f781d1175aba2792b5775a6');
INSERT INTO "events" VALUES(26,'5457b0da079240aca5ac3a52344a5b81','kiosk-1','2026-03-10T02:30:00Z','rating','{"answer_id":"e75836567f154849ab9919bc2a52bd81","level":2}',0,NULL,'c940fae31d186a1a9051953d95e5b7f7bb69e3569f781d1175aba2792b5775a6','67da7ad5a0b94678f51bdb9f7220b656296d669620ee9796849ca77ad1009f39');
INSERT INTO "events" VALUES(27,'554985e8f9df41cea27d7446a8a8fda5','kiosk-1','2026-03-10T02:30:20Z','amend','{"answer_id":"e75836567f154849ab9919bc2a52bd81","aspects":{"process":1,"staff":4},"has_comment":true,"unit":"administration"}',0,NULL,'67da7ad5a0b94678f51bdb9f7220b656296d669620ee9796849ca77ad1009f39','50c3fc505bc99189b541cf1467d92374e3e52fc969e94ad4cc10590188425e62');
INSERT INTO "events" VALUES(28,'061541e2f1eb45a9a9d81e5f7aadc3b8','kiosk-1','2026-03-10T02:30:40Z','referral','{"unit":"crime_prevention"}',0,NULL,'50c3fc505bc99189b541cf1467d92374e3e52fc969e94ad4cc10590188425e62','145ae510bdb79aa598537df47e16f50b3cd854b50a96dc02264ce41257a7f322');
INSERT INTO "events" VALUES(29,'3fd2b2bd0ea5441ca707f73fccecf30f','kiosk-1','2026-03-10T03:00:00Z','rating','{"answer_id":"cffb97bc4fb44ef8b8955bb0e1f774df","level":4}',0,NULL,'145ae510bdb79aa598537df47e16f50b3cd854b50a96dc02264ce41257a7f322','fe906ca23e5c75b1cdc675a0c6ecf7cc1975d298403eabd3c9f3ce3328604232');
INSERT INTO "events" VALUES(30,'27d4a630ca664d939771693d4ce03100','kiosk-1','2026-03-10T03:00:20Z','amend','{"answer_id":"cffb97bc4fb44ef8b8955bb0e1f774df","aspects":{"process":2,"staff":5},"reasons":["unclear_steps","waited_too_long"],"unit":"investigation"}',0,NULL,'fe906ca23e5c75b1cdc675a0c6ecf7cc1975d298403eabd3c9f3ce3328604232','7739034c692fe8a77684f0722de6959b275a0ebf42f4c83ec2732b17cab30663');
INSERT INTO "events" VALUES(31,'28309bebf3fb45cda5cc4759b645f741','kiosk-1','2026-03-10T03:00:40Z','referral','{"unit":"not_sure"}',0,NULL,'7739034c692fe8a77684f0722de6959b275a0ebf42f4c83ec2732b17cab30663','9f07e5ca164f22315ecf0e6035c60ec768119f5b6f5e057677ed9fae4d6799ec');
INSERT INTO "events" VALUES(32,'6d1476ea7e3e48e1a3386ed38d32f09f','kiosk-1','2026-03-10T03:30:00Z','rating','{"answer_id":"0c0292fd738942b6b61f77756369ea23","level":1}',0,NULL,'9f07e5ca164f22315ecf0e6035c60ec768119f5b6f5e057677ed9fae4d6799ec','00ec43b60375ea73d66be392abcceb7bf4aa8697ac33af0d9d8eac24410f68af');
INSERT INTO "events" VALUES(33,'edf20e55048d4909986fd407ee0dd173','kiosk-1','2026-03-10T03:30:20Z','amend','{"answer_id":"0c0292fd738942b6b61f77756369ea23","aspects":{"process":3,"staff":1},"has_comment":true,"unit":"traffic"}',0,NULL,'00ec43b60375ea73d66be392abcceb7bf4aa8697ac33af0d9d8eac24410f68af','2dba21226f26777101f342cf82ed1995eec73b98d3a909f179790dcaddbb7d8f');
INSERT INTO "events" VALUES(34,'bcbf52f236924789bd7c50a8b95c57dc','kiosk-1','2026-03-10T03:30:40Z','referral','{"unit":"administration"}',0,NULL,'2dba21226f26777101f342cf82ed1995eec73b98d3a909f179790dcaddbb7d8f','5042b70f4665f1b82d0717d39c9f262bbf21bb01548dd13cd92a29a10863f2e3');
INSERT INTO "events" VALUES(35,'527688cf0bdc4bd09b0fe67b7e0ab796','kiosk-1','2026-03-10T04:00:00Z','rating','{"answer_id":"c864cc9bfe50424bbbd143a2d2d990cc","level":3}',0,NULL,'5042b70f4665f1b82d0717d39c9f262bbf21bb01548dd13cd92a29a10863f2e3','c8b397aac1093af6e2fd05573cd41482f3f1d9c5bb95a966d5978075d1179686');
INSERT INTO "events" VALUES(36,'adbf12415c4f4f79b41a14156d6b0240','kiosk-1','2026-03-10T04:00:20Z','amend','{"answer_id":"c864cc9bfe50424bbbd143a2d2d990cc","aspects":{"process":4,"staff":2},"reasons":["unclear_steps","waited_too_long"],"unit":"crime_prevention"}',0,NULL,'c8b397aac1093af6e2fd05573cd41482f3f1d9c5bb95a966d5978075d1179686','c7d36acab20642bc2ad2f89429f307db515738e4da343a95a676c90bab954937');
INSERT INTO "events" VALUES(37,'ad7e662844864a4da2f57ce886af0e10','kiosk-1','2026-03-10T04:00:40Z','referral','{"unit":"investigation"}',0,NULL,'c7d36acab20642bc2ad2f89429f307db515738e4da343a95a676c90bab954937','2a89e8f8eaaf415dcc9b50c87a46c4071e0a284193c97821e628fb382c911c3d');
INSERT INTO "events" VALUES(38,'ff08442006834716a5ef2dfb68bf7d60','kiosk-1','2026-03-11T01:30:00Z','rating','{"answer_id":"caca5b8110114d07a2aae07c7744af3f","level":5}',0,NULL,'2a89e8f8eaaf415dcc9b50c87a46c4071e0a284193c97821e628fb382c911c3d','f67096f5f9b01b5c07db93f5cd36b27911356b3c81d7f7ca86a9915196422831');
INSERT INTO "events" VALUES(39,'ffa12c0f1b25416c933b1f9b01f40717','kiosk-1','2026-03-11T01:30:20Z','amend','{"answer_id":"caca5b8110114d07a2aae07c7744af3f","aspects":{"process":5,"staff":3},"has_comment":true,"reasons":["polite_staff"],"unit":"administration"}',0,NULL,'f67096f5f9b01b5c07db93f5cd36b27911356b3c81d7f7ca86a9915196422831','2cb7b479f92e00029ecee70568a4592e2acbf8ac346342bc9ccb2f4513ba599a');
INSERT INTO "events" VALUES(40,'77ef42f1f7364941b3653ec9d9c48e88','kiosk-1','2026-03-11T01:30:40Z','referral','{"unit":"traffic"}',0,NULL,'2cb7b479f92e00029ecee70568a4592e2acbf8ac346342bc9ccb2f4513ba599a','039760640fe360b4062e16dfab00b863deb6c1cc629120143024bff2608efa63');
INSERT INTO "events" VALUES(41,'b45fc5a2627d49d0aca948a050de6cfd','kiosk-1','2026-03-11T02:00:00Z','rating','{"answer_id":"ab4c34c200ad42f2bb199273b4584f3d","level":2}',0,NULL,'039760640fe360b4062e16dfab00b863deb6c1cc629120143024bff2608efa63','a8cbaa993ea21f9c7df14ce70382bd3a1d6abc1977447d7effa2b53dc59609bc');
INSERT INTO "events" VALUES(42,'044b2999f6d342c2bb66333468b49c1b','kiosk-1','2026-03-11T02:00:20Z','amend','{"answer_id":"ab4c34c200ad42f2bb199273b4584f3d","aspects":{"process":1,"staff":4},"reasons":["unclear_steps","waited_too_long"],"unit":"investigation"}',0,NULL,'a8cbaa993ea21f9c7df14ce70382bd3a1d6abc1977447d7effa2b53dc59609bc','a9df8f0bda954077097d48f7bfd79623bcf56ab4bdd99d358634c8c72842a461');
INSERT INTO "events" VALUES(43,'21862dc4243a4d3c9ba7ff6c5b971557','kiosk-1','2026-03-11T02:00:40Z','referral','{"unit":"crime_prevention"}',0,NULL,'a9df8f0bda954077097d48f7bfd79623bcf56ab4bdd99d358634c8c72842a461','344dc57d61f89f899c7fe9d0a3282caaafcaddcf3279aab09ed971e67085e993');
INSERT INTO "events" VALUES(44,'8001a4adc6e24180abc31b14582ca11b','kiosk-1','2026-03-11T02:30:00Z','rating','{"answer_id":"97eb422ead814c7695fd1aeb014baf65","level":4}',0,NULL,'344dc57d61f89f899c7fe9d0a3282caaafcaddcf3279aab09ed971e67085e993','1e7a8795fcabf85c9c25e3afd3e474c7f8d4fbda2117dd4d399e113415c82b23');
INSERT INTO "events" VALUES(45,'ec0fd4c149ce497dbf9f3399a15550bf','kiosk-1','2026-03-11T02:30:20Z','amend','{"answer_id":"97eb422ead814c7695fd1aeb014baf65","aspects":{"process":2,"staff":5},"unit":"traffic"}',0,NULL,'1e7a8795fcabf85c9c25e3afd3e474c7f8d4fbda2117dd4d399e113415c82b23','bfd91c1d31e141a649899f516c9793c336b61e62a440df20d598adc5ae574fc4');
INSERT INTO "events" VALUES(46,'c0aa72462199459892390c9cb430b925','kiosk-1','2026-03-11T02:30:40Z','referral','{"unit":"not_sure"}',0,NULL,'bfd91c1d31e141a649899f516c9793c336b61e62a440df20d598adc5ae574fc4','16c23b013ea65c53f403a7be4cd8f263be60b142554ee0425f7a6b3cfb8b4015');
INSERT INTO "events" VALUES(47,'2135bcf54638414da7dbe5a11a3ee4f3','kiosk-1','2026-03-11T03:00:00Z','rating','{"answer_id":"75c23ddb4fb547629872153bd1d2184a","level":1}',0,NULL,'16c23b013ea65c53f403a7be4cd8f263be60b142554ee0425f7a6b3cfb8b4015','7e04d0c30fb9c29de547d651c6cff147d12f3f24f32a740b20bb6b04f922a81e');
INSERT INTO "events" VALUES(48,'13a1cf4709b748458301e8006dffc160','kiosk-1','2026-03-11T03:00:20Z','amend','{"answer_id":"75c23ddb4fb547629872153bd1d2184a","aspects":{"process":3,"staff":1},"has_comment":true,"reasons":["unclear_steps","waited_too_long"],"unit":"crime_prevention"}',0,NULL,'7e04d0c30fb9c29de547d651c6cff147d12f3f24f32a740b20bb6b04f922a81e','160bfae52a63fc20847e43fd57e68404cf41ce79a615adc188a0682ec8f520d2');
INSERT INTO "events" VALUES(49,'ea3cedcdf9da4d58a69b3079eb60b4d9','kiosk-1','2026-03-11T03:00:40Z','referral','{"unit":"administration"}',0,NULL,'160bfae52a63fc20847e43fd57e68404cf41ce79a615adc188a0682ec8f520d2','f1b07e07e4a979e683a5714d8ad63a1202248bcafc35c0fd61b1fff341d93ac9');
INSERT INTO "events" VALUES(50,'b4aa79d8367b4d4cb436b9801669d4cd','kiosk-1','2026-03-11T03:30:00Z','rating','{"answer_id":"d857c314a6274c66af8b6e36156d86c4","level":3}',0,NULL,'f1b07e07e4a979e683a5714d8ad63a1202248bcafc35c0fd61b1fff341d93ac9','ef7347be95b1ca120f44ef62040b4ca746cb20895a31c77831c3564c4f55702a');
INSERT INTO "events" VALUES(51,'669d8c0c78374579af68d5658559f2ef','kiosk-1','2026-03-11T03:30:20Z','amend','{"answer_id":"d857c314a6274c66af8b6e36156d86c4","aspects":{"process":4,"staff":2},"has_comment":true,"unit":"administration"}',0,NULL,'ef7347be95b1ca120f44ef62040b4ca746cb20895a31c77831c3564c4f55702a','10f942ffb14c9097094d3f1abd7624b1a901eee845322c64d4c3290ae27147e4');
INSERT INTO "events" VALUES(52,'90824194431b40c79e47c68c6eee776b','kiosk-1','2026-03-11T03:30:40Z','referral','{"unit":"investigation"}',0,NULL,'10f942ffb14c9097094d3f1abd7624b1a901eee845322c64d4c3290ae27147e4','e96c7de5aae519afd71aeafeb4e9bec3229dde2e9c4e180285c4e608f5f91188');
INSERT INTO "events" VALUES(53,'edd9a127ae314cd899f98d0f167b1c2c','kiosk-1','2026-03-11T04:00:00Z','rating','{"answer_id":"520d6b408c344195a194188a0faa6646","level":5}',0,NULL,'e96c7de5aae519afd71aeafeb4e9bec3229dde2e9c4e180285c4e608f5f91188','7d575369dd74c4ab88d9ab7d96d4045442b78b849e56c4139ca9811ad4d3ea11');
INSERT INTO "events" VALUES(54,'e95f31f022504b34ac48467cc95c9af0','kiosk-1','2026-03-11T04:00:20Z','amend','{"answer_id":"520d6b408c344195a194188a0faa6646","aspects":{"process":5,"staff":3},"reasons":["unclear_steps","waited_too_long"],"unit":"investigation"}',0,NULL,'7d575369dd74c4ab88d9ab7d96d4045442b78b849e56c4139ca9811ad4d3ea11','ac9302b3f138369adeb755b059958de049118ee7502987b696efd5477b82ba3c');
INSERT INTO "events" VALUES(55,'a43e5690ad0849ccaf16438c158d01bb','kiosk-1','2026-03-11T04:00:40Z','referral','{"unit":"traffic"}',0,NULL,'ac9302b3f138369adeb755b059958de049118ee7502987b696efd5477b82ba3c','40c1054ba9cd6dc76081097a54eb4b12a67b15012a0241d65763e627d2fbf368');
INSERT INTO "events" VALUES(56,'9197ea8d3897486898441ee8da8dc0df','kiosk-1','2026-03-11T04:01:40Z','reset','{"by":"duty"}',0,NULL,'40c1054ba9cd6dc76081097a54eb4b12a67b15012a0241d65763e627d2fbf368','6ec250a826b12e9f5f85916c1eae1f7626dd6c5071b40ce6f36f86cd15fbce70');
CREATE TABLE "meta" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);
CREATE INDEX events_kind_at ON events (kind, at);
CREATE INDEX events_answer_id ON events (json_extract(payload, '$.answer_id'));
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE INDEX comments_at ON comments (at);
CREATE INDEX auth_attempts_role ON auth_attempts (role, id);
COMMIT;
PRAGMA user_version=4;
