-- 0011: repositories by URL. A tenant's sessions and task trees may name a
-- network git URL only under one of its allowed prefixes (null: any; an
-- empty list: none). Tenants get an empty list, so none of them may reach
-- the network until a lead says where; the default tenant (the embedded
-- default's only one, the operator's) allows any.

ALTER TABLE tenants ADD COLUMN allowed_repository_prefixes text[] DEFAULT '{}';
UPDATE tenants SET allowed_repository_prefixes = NULL WHERE id = '00000000-0000-4000-8000-000000000000';
