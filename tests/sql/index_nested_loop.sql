-- Joins a point lookup drives: the inner table read through its index
-- for each outer row (an index nested loop), inner and left, with NULL
-- keys, extra conditions, chains of them, and correlated and cached plans.
CREATE TABLE nl_cust (id int PRIMARY KEY, name text, tier int);
CREATE TABLE nl_ord (id int PRIMARY KEY, cust_id int, amount int);
CREATE INDEX nl_ord_cust ON nl_ord (cust_id);
CREATE TABLE nl_tier (tier int PRIMARY KEY, label text);
INSERT INTO nl_cust VALUES (1, 'c1', 1), (2, 'c2', 2), (3, 'c3', 0), (4, 'c4', 1), (5, 'c5', 2), (6, 'c6', 0), (7, 'c7', NULL), (8, 'c8', 2), (9, 'c9', 0), (10, 'c10', 1), (11, 'c11', 2), (12, 'c12', 0), (13, 'c13', 1), (14, 'c14', NULL), (15, 'c15', 0), (16, 'c16', 1), (17, 'c17', 2), (18, 'c18', 0), (19, 'c19', 1), (20, 'c20', 2), (21, 'c21', NULL), (22, 'c22', 1), (23, 'c23', 2), (24, 'c24', 0), (25, 'c25', 1), (26, 'c26', 2), (27, 'c27', 0), (28, 'c28', NULL), (29, 'c29', 2), (30, 'c30', 0), (31, 'c31', 1), (32, 'c32', 2), (33, 'c33', 0), (34, 'c34', 1), (35, 'c35', NULL), (36, 'c36', 0), (37, 'c37', 1), (38, 'c38', 2), (39, 'c39', 0), (40, 'c40', 1);
INSERT INTO nl_ord VALUES (1, 2, 10), (2, 3, 20), (3, 4, 30), (4, 5, 40), (5, 6, 50), (6, 7, 60), (7, 8, 70), (8, 9, 80), (9, 10, 90), (10, 11, 100), (11, NULL, 110), (12, 13, 120), (13, 14, 130), (14, 15, 140), (15, 16, 150), (16, 17, 160), (17, 18, 170), (18, 19, 180), (19, 20, 190), (20, 21, 200), (21, 22, 210), (22, NULL, 220), (23, 24, 230), (24, 25, 240), (25, 26, 250), (26, 27, 260), (27, 28, 270), (28, 29, 280), (29, 30, 290), (30, 31, 300), (31, 32, 310), (32, 33, 320), (33, NULL, 330), (34, 35, 340), (35, 36, 350), (36, 37, 360), (37, 38, 370), (38, 39, 380), (39, 40, 390), (40, 1, 400), (41, 2, 410), (42, 3, 420), (43, 4, 430), (44, NULL, 440), (45, 6, 450), (46, 7, 460), (47, 8, 470), (48, 9, 480), (49, 10, 490), (50, 11, 500), (51, 12, 510), (52, 13, 520), (53, 14, 530), (54, 15, 540), (55, NULL, 550), (56, 17, 560), (57, 18, 570), (58, 19, 580), (59, 20, 590), (60, 21, 600), (61, 22, 610), (62, 23, 620), (63, 24, 630), (64, 25, 640), (65, 26, 650), (66, NULL, 660), (67, 28, 670), (68, 29, 680), (69, 30, 690), (70, 31, 700), (71, 32, 710), (72, 33, 720), (73, 34, 730), (74, 35, 740), (75, 36, 750), (76, 37, 760), (77, NULL, 770), (78, 39, 780), (79, 40, 790), (80, 1, 800), (81, 2, 810), (82, 3, 820), (83, 4, 830), (84, 5, 840), (85, 6, 850), (86, 7, 860), (87, 8, 870), (88, NULL, 880), (89, 10, 890), (90, 11, 900), (91, 12, 910), (92, 13, 920), (93, 14, 930), (94, 15, 940), (95, 16, 950), (96, 17, 960), (97, 18, 970), (98, 19, 980), (99, NULL, 990), (100, 21, 1000), (101, 22, 1010), (102, 23, 1020), (103, 24, 1030), (104, 25, 1040), (105, 26, 1050), (106, 27, 1060), (107, 28, 1070), (108, 29, 1080), (109, 30, 1090), (110, NULL, 1100), (111, 32, 1110), (112, 33, 1120), (113, 34, 1130), (114, 35, 1140), (115, 36, 1150), (116, 37, 1160), (117, 38, 1170), (118, 39, 1180), (119, 40, 1190), (120, 1, 1200);
INSERT INTO nl_tier VALUES (0, 'bronze'), (1, 'silver'), (2, 'gold');
SELECT o.id, c.name FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id WHERE o.id = 42;
SELECT o.id, c.name FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id WHERE o.id = 44;
SELECT o.id, c.name FROM nl_ord o LEFT JOIN nl_cust c ON c.id = o.cust_id WHERE o.id = 44;
SELECT c.name, o.id, o.amount FROM nl_cust c LEFT JOIN nl_ord o ON o.cust_id = c.id WHERE c.id = 7 ORDER BY o.amount;
SELECT c.name, o.id FROM nl_cust c LEFT JOIN nl_ord o ON o.cust_id = c.id AND o.amount > 500 WHERE c.id = 7 ORDER BY o.id;
SELECT c.name, count(o.id), sum(o.amount) FROM nl_cust c JOIN nl_ord o ON o.cust_id = c.id WHERE c.id IN (3, 4) GROUP BY c.name ORDER BY 1;
SELECT o.id, c.name, t.label FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id JOIN nl_tier t ON t.tier = c.tier WHERE o.id = 5;
SELECT o.id, c.name, t.label FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id LEFT JOIN nl_tier t ON t.tier = c.tier WHERE o.id BETWEEN 6 AND 8 ORDER BY 1;
SELECT o.id, c.name FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id AND c.name <> 'c2' WHERE o.cust_id = 2 ORDER BY 1;
SELECT o.id FROM nl_ord o JOIN nl_cust c ON o.cust_id = c.id WHERE o.id = 1 AND c.tier IS NULL;
SELECT c.id, (SELECT max(o.amount) FROM nl_ord o JOIN nl_cust c2 ON c2.id = o.cust_id WHERE c2.id = c.id) FROM nl_cust c WHERE c.id < 4 ORDER BY 1;
SELECT o.id, c.name FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id WHERE o.id = 10;
SELECT o.id, c.name FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id WHERE o.id = 11;
SELECT o.id, c.name FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id WHERE o.id = 999;
SELECT count(*) FROM nl_ord o JOIN nl_cust c ON c.id = o.cust_id;
DROP TABLE nl_ord, nl_cust, nl_tier;
